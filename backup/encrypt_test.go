package backup_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"filippo.io/age"
	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/store/memory"
)

// TestEncrypted writes an archive encrypted to two X25519 recipients and
// one to a hybrid (post-quantum) recipient: each identity opens and
// restores its archive; without an identity,
// with another one, or with a flipped byte, it is refused and nothing is
// restored.
func TestEncrypted(t *testing.T) {
	ctx := context.Background()
	src := memory.New()
	fill(t, src)
	x, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	x2, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	hy, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	other, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	encrypt := func(rs ...age.Recipient) []byte {
		var buf bytes.Buffer
		if _, err := backup.Write(ctx, &buf, src, &backup.Options{Recipients: rs}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	arch := encrypt(x.Recipient(), x2.Recipient())
	pq := encrypt(hy.Recipient())
	if !backup.IsEncrypted(bytes.NewReader(arch)) || bytes.Contains(arch, []byte("books/acme/entries.jsonl")) {
		t.Fatal("the archive is not encrypted")
	}
	plain := open(t, write(t, src))

	for _, tc := range []struct {
		arch []byte
		id   age.Identity
	}{{arch, x}, {arch, x2}, {pq, hy}} {
		a, err := backup.OpenEncrypted(bytes.NewReader(tc.arch), int64(len(tc.arch)), &backup.OpenOptions{Identities: []age.Identity{other, tc.id}})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Encrypted() {
			t.Error("Encrypted() = false")
		}
		if diff := cmp.Diff(a.Manifest.Members, plain.Manifest.Members); diff != "" {
			t.Errorf("members (-encrypted +plain):\n%s", diff)
		}
		dst := newSQLite(t)
		if err := backup.Restore(ctx, dst, a, nil); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(trial(t, dst), trial(t, src)); diff != "" {
			t.Errorf("trial balance (-restored +source):\n%s", diff)
		}
	}

	flipped := bytes.Clone(arch)
	flipped[len(flipped)/2] ^= 1
	for _, tc := range []struct {
		name string
		arch []byte
		ids  []age.Identity
		want error
	}{
		{"no identity", arch, nil, backup.ErrEncrypted},
		{"another identity", arch, []age.Identity{other}, backup.ErrKey},
		{"a classic identity for a post-quantum archive", pq, []age.Identity{x}, backup.ErrKey},
		{"flipped byte", flipped, []age.Identity{x}, backup.ErrCorrupt},
		{"truncated", arch[:len(arch)-100], []age.Identity{x}, backup.ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := newSQLite(t)
			err := func() error {
				a, err := backup.OpenEncrypted(bytes.NewReader(tc.arch), int64(len(tc.arch)), &backup.OpenOptions{Identities: tc.ids})
				if err != nil {
					return err
				}
				return backup.Restore(ctx, dst, a, nil)
			}()
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			books, err := ledger.New(dst, nil).Books(ctx)
			if err != nil || len(books) != 0 {
				t.Errorf("target holds %v (%v), want nothing", books, err)
			}
		})
	}
	// Open refuses an encrypted archive; OpenEncrypted reads a plain one.
	if _, err := backup.Open(bytes.NewReader(arch), int64(len(arch))); !errors.Is(err, backup.ErrEncrypted) {
		t.Errorf("Open of an encrypted archive: %v", err)
	}
	p := write(t, src)
	if a, err := backup.OpenEncrypted(bytes.NewReader(p), int64(len(p)), &backup.OpenOptions{Identities: []age.Identity{x}}); err != nil || a.Encrypted() {
		t.Errorf("OpenEncrypted of a plain archive: %v", err)
	}
}
