package backup_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/memory"
)

var errInjected = errors.New("injected failure")

// failingStore fails a backup half-way: its entries scan returns
// errInjected after the given number of entries.
type failingStore struct {
	backup.Store
	after int
}

func (s failingStore) View(ctx context.Context, fn func(ledger.ReadTx) error) error {
	return s.Store.View(ctx, func(tx ledger.ReadTx) error { return fn(failingTx{tx, s.after}) })
}

type failingTx struct {
	ledger.ReadTx
	after int
}

func (t failingTx) Scan(ctx context.Context, book string, from uint64, fn func(*ledger.Posted) error) error {
	n := 0
	return t.ReadTx.Scan(ctx, book, from, func(p *ledger.Posted) error {
		if n++; n > t.after {
			return errInjected
		}
		return fn(p)
	})
}

// TestWriteFile: an archive written whole is at the path, mode 0600; a
// backup that fails half-way, or is cancelled, leaves nothing at the path,
// no temporary file, and a previous archive there as it was.
func TestWriteFile(t *testing.T) {
	ctx := context.Background()
	src := memory.New()
	fill(t, src)
	dir := t.TempDir()
	path := filepath.Join(dir, "acme.zip")

	t.Run("fails half-way", func(t *testing.T) {
		if _, err := backup.WriteFile(ctx, path, failingStore{src, 10}, nil); !errors.Is(err, errInjected) {
			t.Fatalf("got %v, want the injected failure", err)
		}
		assertDir(t, dir)
	})
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := backup.WriteFile(cctx, path, src, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		assertDir(t, dir)
	})
	t.Run("whole", func(t *testing.T) {
		m, err := backup.WriteFile(ctx, path, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", st.Mode().Perm())
		}
		a, err := backup.OpenFile(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if err := a.Verify(nil); err != nil || a.Manifest.Books[0].Head != m.Books[0].Head {
			t.Errorf("verify: %v", err)
		}
		assertDir(t, dir, "acme.zip")
	})
	t.Run("fails over a previous archive", func(t *testing.T) {
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := backup.WriteFile(ctx, path, failingStore{src, 29}, nil); !errors.Is(err, errInjected) {
			t.Fatalf("got %v, want the injected failure", err)
		}
		after, err := os.ReadFile(path)
		if err != nil || string(after) != string(before) {
			t.Errorf("the previous archive changed (%v)", err)
		}
		assertDir(t, dir, "acme.zip")
	})
}

// assertDir checks that dir holds exactly the named files.
func assertDir(t *testing.T, dir string, names ...string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Name())
	}
	if len(got) != len(names) || (len(names) > 0 && got[0] != names[0]) {
		t.Errorf("directory holds %q, want %q", got, names)
	}
}
