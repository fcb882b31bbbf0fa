package fx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzReadCSV: ReadCSV never panics, and what it reads, WriteCSV writes
// so that it reads back the same, digit for digit.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"date,from,to,rate,source\n2025-03-07,EUR,USD,1.0830,ECB\n2025-03-07,USD,JPY,148.05,\n",
		"date,from,to,rate\n2025-03-07,JPY,CHF,0.0061\n",
		"\uFEFFdate,from,to,rate\n2025-03-07,EUR,USD,\"1,0830\"\n",
		"date,from,to,rate,source\n2025-03-07,EUR,GBP,0.000000000000000000000001,\" a \"\"b\"\"\"\n",
		"date,from,to,rate\n2025-03-07,EUR,USD,1e3\n",
		"date,from,to,rate\n2025-03-07,EUR,USD,-0\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rates, err := ReadCSV(strings.NewReader(in), nil)
		if err != nil {
			if rates != nil {
				t.Fatalf("rates and an error: %v", err)
			}
			return
		}
		for _, r := range rates {
			if err := r.Validate(); err != nil {
				t.Fatalf("ReadCSV returned an invalid rate %v: %v", r, err)
			}
		}
		var b bytes.Buffer
		if err := WriteCSV(&b, rates); err != nil {
			t.Fatalf("WriteCSV of what ReadCSV read: %v", err)
		}
		back, err := ReadCSV(&b, nil)
		if err != nil {
			t.Fatalf("ReadCSV of WriteCSV's output: %v\n%s", err, b.String())
		}
		if len(rates) == 0 && len(back) == 0 {
			return
		}
		if diff := cmp.Diff(back, rates, rateOpts); diff != "" {
			t.Fatalf("round trip (-got +want):\n%s", diff)
		}
	})
}
