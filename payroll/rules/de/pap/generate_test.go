package pap

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/openbackoffice/backoffice/payroll/rules/de/pap/internal/papgen"
)

// TestGeneratedUpToDate regenerates the code from testdata/*.xml and
// compares it with the committed *_gen.go files. Run go generate on failure.
func TestGeneratedUpToDate(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "Lohnsteuer*.xml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no PAP XML in testdata: %v", err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	srcs, err := papgen.Generate(files)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range srcs {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale; run go generate ./payroll/rules/de/pap", name)
		}
	}
}
