package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFXRates imports exchange rates from ECB XML, a journal's P
// directives and CSV, again without adding anything, refuses a conflict
// and unreadable input naming the line, and lists the book's rates with
// the shared ones as CSV that imports back.
func TestFXRates(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok(t, dir, "init")
	ecb := write("eurofxref-hist.xml", `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
	<Cube>
		<Cube time="2025-03-07">
			<Cube currency="USD" rate="1.0830"/>
			<Cube currency="JPY" rate="160.36"/>
		</Cube>
		<Cube time="2025-03-06">
			<Cube currency="USD" rate="1.0807"/>
			<Cube currency="JPY" rate="160.04"/>
			<Cube currency="CYP" rate="0.585274"/>
		</Cube>
	</Cube>
</gesmes:Envelope>
`)
	// CYP is no longer an ISO 4217 currency: refused, unless left out.
	r := books(t, dir, "fx", "import", ecb)
	if r.code != 1 || !strings.Contains(r.stderr, "line 13, currency") || !strings.Contains(r.stderr, "CYP") {
		t.Fatalf("ECB file with CYP: exit %d, %s", r.code, r.stderr)
	}
	r = ok(t, dir, "fx", "import", ecb, "--only", "EUR,USD,JPY")
	if !strings.Contains(r.stderr, "imported 4 rates") {
		t.Errorf("first import: %s", r.stderr)
	}
	r = ok(t, dir, "fx", "import", "--only", "EUR,USD,JPY", ecb)
	if !strings.Contains(r.stderr, "imported 0 rates") || !strings.Contains(r.stderr, "4 already stored") {
		t.Errorf("second import: %s", r.stderr)
	}

	prices := write("prices.journal", "; bank rates\nP 2025/03/07 USD 0.9240 EUR  ; source: bank\n2025-03-07 opening\n    assets:bank  EUR 1.00\n    equity\n")
	if r := ok(t, dir, "fx", "import", prices); !strings.Contains(r.stderr, "imported 1 rates") {
		t.Errorf("P directives: %s", r.stderr)
	}
	conflict := write("bank.csv", "date,from,to,rate,source\n2025-03-10,EUR,USD,1.0857,ECB\n2025-03-07,EUR,USD,1.0831,bank\n")
	r = books(t, dir, "fx", "import", conflict)
	if r.code != 1 || !strings.Contains(r.stderr, "conflicting rates: EUR→USD on 2025-03-07: 1.0830 and 1.0831") {
		t.Errorf("conflict with a stored rate: exit %d, %s", r.code, r.stderr)
	}
	bad := write("bad.txt", "date,from,to,rate\n2025-03-10,EUR,USD,\"1,0857\"\n")
	r = books(t, dir, "fx", "import", "--format", "csv", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "bad.txt: fx: line 2, rate: syntax error") {
		t.Errorf("decimal comma: exit %d, %s", r.code, r.stderr)
	}
	if r := books(t, dir, "fx", "import", "--format", "xlsx", bad); r.code != 2 {
		t.Errorf("unknown format: exit %d, %s", r.code, r.stderr)
	}

	shared := write("shared.csv", "date,from,to,rate,source\n2025-03-07,EUR,GBP,0.84010,ECB\n2025-03-07,EUR,USD,1.0900,other\n")
	if r := ok(t, dir, "fx", "import", "--shared", shared); !strings.Contains(r.stderr, "imported 2 rates from "+shared+" into the shared rates") {
		t.Errorf("shared import: %s", r.stderr)
	}

	r = ok(t, dir, "fx", "list")
	want := "date,from,to,rate,source\n" +
		"2025-03-07,EUR,GBP,0.84010,ECB\n" + // shared
		"2025-03-06,EUR,JPY,160.04,ECB\n" +
		"2025-03-07,EUR,JPY,160.36,ECB\n" +
		"2025-03-06,EUR,USD,1.0807,ECB\n" +
		"2025-03-07,EUR,USD,1.0830,ECB\n" + // the book's own over the shared 1.0900
		"2025-03-07,USD,EUR,0.9240,bank\n"
	if r.stdout != want {
		t.Errorf("fx list:\n%s\nwant:\n%s", r.stdout, want)
	}
	r = ok(t, dir, "fx", "list", "--from", "EUR", "--to", "USD")
	if want := "date,from,to,rate,source\n2025-03-06,EUR,USD,1.0807,ECB\n2025-03-07,EUR,USD,1.0830,ECB\n"; r.stdout != want {
		t.Errorf("fx list --from EUR --to USD:\n%s\nwant:\n%s", r.stdout, want)
	}
	// The list imports back, adding nothing.
	all := write("all.csv", ok(t, dir, "fx", "list").stdout)
	if r := ok(t, dir, "fx", "import", all); !strings.Contains(r.stderr, "imported 1 rates") {
		// The shared EUR→GBP becomes the book's own; nothing else is new.
		t.Errorf("re-import of the list: %s", r.stderr)
	}
	if r := books(t, dir, "fx", "list", "--from", "XYZ"); r.code != 2 {
		t.Errorf("unknown currency: exit %d, %s", r.code, r.stderr)
	}
	if r := books(t, dir, "fx", "frobnicate"); r.code != 2 {
		t.Errorf("unknown subcommand: exit %d", r.code)
	}
}
