package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDatevSettings stores a book's DATEV numbers with --save and exports
// and imports without flags afterwards; flags given override the stored
// numbers for one run.
func TestDatevSettings(t *testing.T) {
	dir := t.TempDir()
	ok(t, dir, "init", "--chart", "skr03")
	r := books(t, dir, "export", "datev", "--year", "2025", "-o", "a.csv")
	if r.code != 2 || !strings.Contains(r.stderr, "no DATEV settings") {
		t.Fatalf("export without settings: exit %d, %s", r.code, r.stderr)
	}
	r = ok(t, dir, "export", "datev", "--year", "2025", "--consultant", "29098", "--client", "55003", "--account-length", "5", "--save", "-o", "a.csv")
	if !strings.Contains(r.stderr, "consultant 29098, client 55003, account length 5") {
		t.Errorf("--save says %q", r.stderr)
	}
	header := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		line, _, _ := strings.Cut(string(b), "\r\n")
		f := strings.Split(line, ";")
		return f[10] + " " + f[11] + " " + f[13] // Beraternummer, Mandantennummer, Sachkontenlänge
	}
	if got := header("a.csv"); got != "29098 55003 5" {
		t.Errorf("export with --save: header numbers %q", got)
	}
	ok(t, dir, "export", "datev", "--year", "2025", "-o", "b.csv")
	if got := header("b.csv"); got != "29098 55003 5" {
		t.Errorf("export from the stored settings: header numbers %q", got)
	}
	ok(t, dir, "export", "datev", "--year", "2025", "--client", "7", "-o", "c.csv")
	if got := header("c.csv"); got != "29098 7 5" {
		t.Errorf("export with --client over the stored settings: header numbers %q", got)
	}
	ok(t, dir, "export", "datev", "--year", "2025", "-o", "d.csv")
	if got := header("d.csv"); got != "29098 55003 5" {
		t.Errorf("a flag without --save changed the stored settings: %q", got)
	}
	ok(t, dir, "import", "datev", filepath.Join(dir, "b.csv"))
	if r := books(t, dir, "export", "datev", "--year", "2025", "--client", "0", "--save"); r.code != 2 || !strings.Contains(r.stderr, "client number 0") {
		t.Errorf("client 0: exit %d, %s", r.code, r.stderr)
	}
}
