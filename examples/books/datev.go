package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/interchange/datev"
	"github.com/openbackoffice/backoffice/interchange/gobd"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/vat"
)

// datevOptions builds the DATEV options of a book from its chart and the flags.
func (e *env) datevOptions(ctx context.Context, book string, consultant, client, length int) (*datev.Options, error) {
	chart, err := e.ledger.Accounts(ctx, book)
	if err != nil {
		return nil, err
	}
	t, _ := vat.For(chart)
	return &datev.Options{Consultant: consultant, Client: client, AccountLength: length, Chart: chart, VAT: t,
		PartyDimension: partners.DimParty, Kost1Dimension: partners.DimCostCentre}, nil
}

// datevSettings returns the book's DATEV numbers: the stored settings with
// the flags given on top (consultant, client, account-length), and stores
// the result when save is set. Without stored settings the consultant and
// client numbers must be given.
func (e *env) datevSettings(ctx context.Context, fs *flag.FlagSet, book string, consultant, client, length int, save bool) (datev.Settings, error) {
	if save && e.snapshot != nil {
		return datev.Settings{}, usagef("--save writes to the database: give it without --replica")
	}
	ss, ok := e.store.(datev.SettingsStore)
	if !ok {
		return datev.Settings{}, fmt.Errorf("this store keeps no DATEV settings")
	}
	st, err := ss.DatevSettings(ctx, book)
	if errors.Is(err, datev.ErrNoSettings) {
		st, err = datev.Settings{Book: book, AccountLength: length}, nil
	}
	if err != nil {
		return st, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) {
		given[f.Name] = true
		switch f.Name {
		case "consultant":
			st.Consultant = consultant
		case "client":
			st.Client = client
		case "account-length":
			st.AccountLength = length
		}
	})
	if (st.Consultant == 0 && !given["consultant"]) || (st.Client == 0 && !given["client"]) {
		return st, usagef("book %s has no DATEV settings: give --consultant N --client N (and --save to keep them)", book)
	}
	if err := st.Validate(); err != nil {
		return st, usagef("%v", err)
	}
	if save {
		if err := ss.SetDatevSettings(ctx, st); err != nil {
			return st, err
		}
		fmt.Fprintf(os.Stderr, "stored DATEV settings of %s: consultant %d, client %d, account length %d\n", book, st.Consultant, st.Client, st.AccountLength)
	}
	return st, nil
}

// runExportDatev is "books export datev": the Buchungsstapel of a fiscal
// year or a range within one, and optionally the account labels and the
// customers and suppliers.
func runExportDatev(ctx context.Context, e *env, args []string) error {
	fs := e.flags("export datev", "--year YYYY [--from D --to D] [--consultant N --client N [--account-length N] [--save]] [-o FILE] [--labels FILE] [--parties FILE]")
	year := fs.Int("year", 0, "the fiscal year")
	from := fs.String("from", "", "first booking date (default: the year's first day)")
	to := fs.String("to", "", "last booking date (default: the year's last day)")
	consultant := fs.Int("consultant", 0, "DATEV consultant number (Beraternummer; default: the book's stored settings)")
	client := fs.Int("client", 0, "DATEV client number (Mandantennummer; default: the book's stored settings)")
	length := fs.Int("account-length", 4, "DATEV account length (Sachkontenlänge; default: the book's stored settings, else 4)")
	save := fs.Bool("save", false, "store the numbers given with the book, for the next export and import")
	out := fs.String("o", "", "output file (default EXTF_Buchungsstapel_BOOK_FROM_TO.csv)")
	labels := fs.String("labels", "", "also write the Kontenbeschriftungen to this file")
	parties := fs.String("parties", "", "also write the Debitoren/Kreditoren to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *year == 0 || fs.NArg() > 0 {
		return usagef("give --year YYYY")
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	if err := b.CheckFiscalYear(*year); err != nil {
		return usagef("--year %d: out of range", *year)
	}
	first, last := b.FiscalYearRange(*year)
	for _, f := range []struct {
		s string
		d *date.Date
	}{{*from, &first}, {*to, &last}} {
		if f.s != "" {
			if *f.d, err = date.Parse(f.s); err != nil {
				return usagef("bad date %q", f.s)
			}
		}
	}
	st, err := e.datevSettings(ctx, fs, b.ID, *consultant, *client, *length, *save)
	if err != nil {
		return err
	}
	o, err := e.datevOptions(ctx, b.ID, st.Consultant, st.Client, st.AccountLength)
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = fmt.Sprintf("EXTF_Buchungsstapel_%s_%s_%s.csv", b.ID, first, last)
	}
	res, err := e.writeDatev(ctx, b, *year, first, last, o, path)
	if err != nil {
		return err
	}
	notices := res.Notices
	if *labels != "" {
		w, done, err := e.output(*labels)
		if err != nil {
			return err
		}
		n, err := datev.WriteLabels(w, o.Chart, b, o)
		if err != nil {
			return err
		}
		if err := done(); err != nil {
			return err
		}
		notices = append(notices, n...)
	}
	if *parties != "" {
		p, err := e.parties(ctx, b.ID)
		if err != nil {
			return err
		}
		list, err := p.List(ctx, b.ID, last)
		if err != nil {
			return err
		}
		w, done, err := e.output(*parties)
		if err != nil {
			return err
		}
		n, err := datev.WriteParties(w, list, b, o)
		if err != nil {
			return err
		}
		if err := done(); err != nil {
			return err
		}
		notices = append(notices, n...)
	}
	for _, n := range notices {
		fmt.Fprintln(os.Stderr, "changed:", n)
	}
	fmt.Fprintf(os.Stderr, "exported %d entries as %d DATEV bookings to %s\n", res.Entries, res.Bookings, filepath.Base(path))
	return nil
}

// writeDatev writes the Buchungsstapel of book from first to last, in
// fiscal year year, to path (through a temporary file), with Festschreibung
// for the locked periods and the dates up to the lock date.
func (e *env) writeDatev(ctx context.Context, b ledger.Book, year int, first, last date.Date, o *datev.Options, path string) (datev.Result, error) {
	periods, err := e.ledger.Periods(ctx, b.ID, year)
	if err != nil {
		return datev.Result{}, err
	}
	o.Locked = func(d date.Date) bool {
		if !b.LockDate.IsZero() && !d.After(b.LockDate) {
			return true
		}
		for _, p := range periods {
			if !d.Before(p.Start) && !d.After(p.End) {
				return p.State == ledger.Locked
			}
		}
		return false
	}
	w, done, err := e.output(path)
	if err != nil {
		return datev.Result{}, err
	}
	res, err := datev.WriteBookings(ctx, w, e.ledger, b, first, last, o)
	if err != nil {
		return res, err
	}
	return res, done()
}

// runImportDatev is "books import datev FILE": a Buchungsstapel posted all
// or nothing, idempotently.
func runImportDatev(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import datev", "[--consultant N --client N [--account-length N] [--save]] FILE")
	consultant := fs.Int("consultant", 0, "DATEV consultant number the file must carry (default: the book's stored settings)")
	client := fs.Int("client", 0, "DATEV client number the file must carry (default: the book's stored settings)")
	length := fs.Int("account-length", 4, "DATEV account length (Sachkontenlänge; default: the book's stored settings, else 4)")
	save := fs.Bool("save", false, "store the numbers given with the book")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want one FILE")
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	st, err := e.datevSettings(ctx, fs, b.ID, *consultant, *client, *length, *save)
	if err != nil {
		return err
	}
	o, err := e.datevOptions(ctx, b.ID, st.Consultant, st.Client, st.AccountLength)
	if err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	entries, err := datev.ReadBookings(f, fs.Arg(0), b, o)
	if err != nil {
		return err
	}
	posted, err := e.ledger.PostBatch(ctx, entries)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "imported %d entries\n", len(posted))
	return nil
}

// runExportGoBD is "books export gobd --year YYYY -o DIR": the data for the
// tax auditor's data access (GoBD Z3).
func runExportGoBD(ctx context.Context, e *env, args []string) error {
	fs := e.flags("export gobd", "--year YYYY -o DIR")
	year := fs.Int("year", 0, "the fiscal year")
	dir := fs.String("o", "", "the directory to write index.xml and the CSV tables into (created if missing)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *year == 0 || *dir == "" || fs.NArg() > 0 {
		return usagef("give --year YYYY and -o DIR")
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	chart, err := e.ledger.Accounts(ctx, b.ID)
	if err != nil {
		return err
	}
	if err := b.CheckFiscalYear(*year); err != nil {
		return usagef("--year %d: out of range", *year)
	}
	if err := writeGoBD(ctx, e.ledger, b, chart, *year, *dir); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote index.xml and %d tables to %s\n", len(gobd.Tables), *dir)
	return nil
}

// writeGoBD writes the GoBD export of book's fiscal year into dir, created
// if missing.
func writeGoBD(ctx context.Context, src gobd.Source, b ledger.Book, chart []ledger.Account, year int, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	first, last := b.FiscalYearRange(year)
	t, _ := vat.For(chart)
	return gobd.Write(ctx, dir, src, b, chart, first, last, &gobd.Options{VAT: t})
}
