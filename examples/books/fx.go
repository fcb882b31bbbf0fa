package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/examples/closebatch/batch"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

// runFX is "books fx": import exchange rates into the book (or the rates
// shared by every book), list them, and revalue the book's
// foreign-currency balances.
func runFX(ctx context.Context, e *env, args []string) error {
	fs := e.flags("fx", "import FILE [--format csv|ecb|prices] [--only EUR,USD,…] [--shared] | list [--from CUR] [--to CUR] [--shared] | revalue --date YYYY-MM-DD [--reverse]")
	format := fs.String("format", "", "import: csv, ecb or prices (default by the extension: .xml ecb; .journal, .ledger, .hledger, .prices prices; else csv)")
	only := fs.String("only", "", "import: read only the rates between these currencies, comma separated (EUR,USD,GBP)")
	shared := fs.Bool("shared", false, "the rates shared by every book rather than the book's own")
	from := fs.String("from", "", "list: only the rates from this currency")
	to := fs.String("to", "", "list: only the rates into this currency")
	day := fs.String("date", "", "revalue: the valuation date, YYYY-MM-DD (a period's last day)")
	reverse := fs.Bool("reverse", false, "revalue: post the reversal on the next day, so the next period starts from the booked rates")
	gains := fs.String("gains", "", "revalue: the account of exchange gains (default: the account with meta.role "+batch.RoleFXGains+")")
	losses := fs.String("losses", "", "revalue: the account of exchange losses (default: the account with meta.role "+batch.RoleFXLosses+")")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 2 && fs.Arg(0) == "import":
	case fs.NArg() == 1 && fs.Arg(0) == "list":
	case fs.NArg() == 1 && fs.Arg(0) == "revalue":
		if *shared {
			return usagef("revalue values a book's balances: --shared is for import and list")
		}
		d, err := date.Parse(*day)
		if err != nil {
			return usagef("revalue: give --date YYYY-MM-DD")
		}
		b, _, err := e.selectBook(ctx, "")
		if err != nil {
			return err
		}
		return e.revalue(ctx, b, d, ledger.RevalueOptions{Reverse: *reverse, Gains: *gains, Losses: *losses}, true)
	default:
		return usagef("want: fx import FILE | fx list | fx revalue --date YYYY-MM-DD")
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

// revalue posts the revaluation of book b's foreign-currency balances at d
// (ledger.Revalue) against opts.Gains and opts.Losses, by default the
// accounts with meta.role fx_gains and fx_losses, at the book's rates. It
// says what it posted, and with print writes the entry to stdout as an
// entries CSV. Run again, it posts nothing and shows the same entry.
func (e *env) revalue(ctx context.Context, b ledger.Book, d date.Date, opts ledger.RevalueOptions, print bool) error {
	if e.fx.Rates == nil {
		return usagef("book %s has no exchange rates: import them first (books fx import FILE)", b.ID)
	}
	if opts.Gains == "" {
		opts.Gains = e.fx.Gains
	}
	if opts.Losses == "" {
		opts.Losses = e.fx.Losses
	}
	switch {
	case opts.Gains == "":
		return usagef("no account of book %s has meta.role %s; name one with --gains", b.ID, batch.RoleFXGains)
	case opts.Losses == "":
		return usagef("no account of book %s has meta.role %s; name one with --losses", b.ID, batch.RoleFXLosses)
	}
	before, err := e.head(ctx, b.ID)
	if err != nil {
		return err
	}
	p, err := e.ledger.Revalue(ctx, b.ID, d, opts)
	if err != nil {
		return err
	}
	if p.Seq == 0 {
		e.say("revaluation at %s: nothing to revalue", d)
		return nil
	}
	state := "posted"
	if p.Seq <= before {
		state = "posted before"
	}
	reversed := ""
	if opts.Reverse {
		reversed = fmt.Sprintf(", reversed on %s", d.AddDays(1))
	}
	e.say("revaluation at %s: entry %d (key %s), %s, %d lines%s", d, p.Seq, p.Key, state, len(p.Lines), reversed)
	if print {
		return ledger.WriteEntries(e.stdout, []ledger.Entry{p.Entry})
	}
	return nil
}

// ratesOf names whose rates they are, for messages.
func ratesOf(book string) string {
	if book == "" {
		return "the shared rates"
	}
	return "book " + book
}
