package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/openbackoffice/backoffice/payroll/rules/de/pap/internal/papgen"
)

func main() {
	in := flag.String("in", "testdata", "directory holding Lohnsteuer*.xml")
	out := flag.String("out", ".", "directory of package pap")
	flag.Parse()
	paths, err := filepath.Glob(filepath.Join(*in, "Lohnsteuer*.xml"))
	if err != nil || len(paths) == 0 {
		log.Fatalf("gen: no PAP XML in %s (%v)", *in, err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			log.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	srcs, err := papgen.Generate(files)
	if err != nil {
		log.Fatalf("gen: %v", err)
	}
	for name, src := range srcs {
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
