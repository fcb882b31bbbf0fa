package backup_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/store/memory"
)

// TestDrill restores archives into a scratch store and compares them with
// their manifests and with live stores: the source (same head, then
// ahead), a store whose chain is another, and one that is behind.
func TestDrill(t *testing.T) {
	ctx := context.Background()
	src := newSQLite(t)
	l := fill(t, src)
	fxFill(t, src)
	a := open(t, write(t, src))

	res, err := backup.Drill(ctx, a, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 {
		t.Fatalf("%d results, want 2", len(res))
	}
	for _, r := range res {
		if r.In != "base" || r.Rows == 0 || r.Live != "" || r.Head.Seq == 0 {
			t.Errorf("%+v", r)
		}
	}

	t.Run("live same head", func(t *testing.T) {
		res, err := backup.Drill(ctx, a, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Live != "same head" {
				t.Errorf("book %s: live %q", r.Book, r.Live)
			}
		}
	})
	postOne(t, l, "later")
	t.Run("live ahead", func(t *testing.T) {
		res, err := backup.Drill(ctx, a, src, &backup.Options{Books: []string{"acme"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || res[0].Live != "ahead at entry 31" {
			t.Errorf("%+v", res)
		}
	})
	t.Run("another chain", func(t *testing.T) {
		live := memory.New()
		fill(t, live) // the same entries, recorded at other times
		_, err := backup.Drill(ctx, a, live, &backup.Options{Books: []string{"acme"}})
		var de *backup.DrillError
		if !errors.As(err, &de) || de.Book != "acme" || !strings.Contains(err.Error(), "another hash") {
			t.Errorf("got %v, want a *DrillError about acme's chain", err)
		}
	})
	t.Run("behind", func(t *testing.T) {
		later := open(t, write(t, src)) // head 31
		live := memory.New()
		if err := backup.Restore(ctx, live, a, &backup.Options{Books: []string{"acme"}}); err != nil { // head 30
			t.Fatal(err)
		}
		_, err := backup.Drill(ctx, later, live, &backup.Options{Books: []string{"acme"}})
		if !errors.Is(err, backup.ErrDrill) || !strings.Contains(err.Error(), "ends at entry 30, before the archive's head 31") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("damaged archive", func(t *testing.T) {
		bad := rezip(t, write(t, src), "books/acme/entries.jsonl", func(b []byte) []byte { return b[:len(b)-3] })
		a, err := backup.Open(strings.NewReader(string(bad)), int64(len(bad)))
		if err == nil {
			_, err = backup.Drill(ctx, a, src, nil)
		}
		if !errors.Is(err, backup.ErrCorrupt) {
			t.Errorf("got %v, want ErrCorrupt", err)
		}
	})
}
