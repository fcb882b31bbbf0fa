package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/money"
)

// runFX is "books fx": import exchange rates into the book (or the rates
// shared by every book) and list them.
func runFX(ctx context.Context, e *env, args []string) error {
	fs := e.flags("fx", "import FILE [--format csv|ecb|prices] [--only EUR,USD,…] [--shared] | list [--from CUR] [--to CUR] [--shared]")
	format := fs.String("format", "", "import: csv, ecb or prices (default by the extension: .xml ecb; .journal, .ledger, .hledger, .prices prices; else csv)")
	only := fs.String("only", "", "import: read only the rates between these currencies, comma separated (EUR,USD,GBP)")
	shared := fs.Bool("shared", false, "the rates shared by every book rather than the book's own")
	from := fs.String("from", "", "list: only the rates from this currency")
	to := fs.String("to", "", "list: only the rates into this currency")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 2 && fs.Arg(0) == "import":
	case fs.NArg() == 1 && fs.Arg(0) == "list":
	default:
		return usagef("want: fx import FILE | fx list")
	}
	book := ""
	if *shared {
		if err := e.open(ctx); err != nil {
			return err
		}
	} else {
		b, _, err := e.selectBook(ctx, "")
		if err != nil {
			return err
		}
		book = b.ID
	}
	s, ok := e.store.(fx.Store)
	if !ok {
		return fmt.Errorf("this store keeps no exchange rates")
	}
	if fs.Arg(0) == "list" {
		return listRates(ctx, e, s, book, *from, *to)
	}
	return importRates(ctx, e, s, book, fs.Arg(1), *format, *only)
}

// importRates reads the rates of path and stores them for book.
func importRates(ctx context.Context, e *env, s fx.Store, book, path, format, only string) error {
	read, err := rateReader(path, format)
	if err != nil {
		return err
	}
	opts := &fx.ReadOptions{}
	if only != "" {
		for _, code := range strings.Split(only, ",") {
			c, err := money.ParseCurrency(strings.TrimSpace(code))
			if err != nil {
				return usagef("--only: %v", err)
			}
			opts.Only = append(opts.Only, c)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rates, err := read(f, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	added, err := s.PutRates(ctx, book, rates)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	e.say("imported %d rates from %s into %s (%d already stored)", added, path, ratesOf(book), len(rates)-added)
	return nil
}

// rateReader returns the reader of format, or of path's extension.
func rateReader(path, format string) (func(io.Reader, *fx.ReadOptions) ([]fx.Rate, error), error) {
	if format == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".xml":
			format = "ecb"
		case ".journal", ".ledger", ".hledger", ".prices":
			format = "prices"
		default:
			format = "csv"
		}
	}
	switch format {
	case "csv":
		return fx.ReadCSV, nil
	case "ecb":
		return fx.ReadECB, nil
	case "prices":
		return fx.ReadPriceDirectives, nil
	}
	return nil, usagef("--format must be csv, ecb or prices")
}

// listRates writes the rates of book as CSV, which fx import reads back.
func listRates(ctx context.Context, e *env, s fx.Store, book, from, to string) error {
	var fc, tc money.Currency
	var err error
	if from != "" {
		if fc, err = money.ParseCurrency(from); err != nil {
			return usagef("--from: %v", err)
		}
	}
	if to != "" {
		if tc, err = money.ParseCurrency(to); err != nil {
			return usagef("--to: %v", err)
		}
	}
	rates, err := s.Rates(ctx, book)
	if err != nil {
		return err
	}
	out := rates[:0]
	for _, r := range rates {
		if (fc.IsZero() || r.From == fc) && (tc.IsZero() || r.To == tc) {
			out = append(out, r)
		}
	}
	return fx.WriteCSV(e.stdout, out)
}

// ratesOf names whose rates they are, for messages.
func ratesOf(book string) string {
	if book == "" {
		return "the shared rates"
	}
	return "book " + book
}
