package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// parties returns the customers and suppliers of the database, posting to
// the accounts of book's chart (partners.AccountsFor).
func (e *env) parties(ctx context.Context, book string) (*partners.Parties, error) {
	ps, ok := e.store.(partners.Store)
	if !ok {
		return nil, fmt.Errorf("this store keeps no customers and suppliers")
	}
	chart, err := e.ledger.Accounts(ctx, book)
	if err != nil {
		return nil, err
	}
	accts, err := partners.AccountsFor(chart)
	if err != nil {
		return nil, fmt.Errorf("book %s: %w", book, err)
	}
	return partners.New(ps, &partners.Options{Accounts: accts}), nil
}

// runPartners is "books partners import|list|dun|propose".
func runPartners(ctx context.Context, e *env, args []string) error {
	fs := e.flags("partners", "import parties|invoices|payments FILE | list | dun --date D [--letters DIR] | propose --date D [--due-by D] [--bank CODE] [--pay] [--sepa FILE [--from-iban IBAN] [--from-bic BIC]]")
	day := fs.String("date", "", "dun, propose: the run's or the payments' date (YYYY-MM-DD)")
	asOf := fs.String("as-of", "", "list: the versions in force on this day (default: the latest)")
	dueBy := fs.String("due-by", "", "propose: take items due by this day (default: --date)")
	bank := fs.String("bank", "", "propose: the bank account paid from (default: the chart's meta.role bank)")
	pay := fs.Bool("pay", false, "propose: post the proposed payments")
	letters := fs.String("letters", "", "dun: write one text letter per notice into this directory")
	sepaFile := fs.String("sepa", "", "propose: write the proposed payments as SEPA credit transfers (pain.001.001.09) to FILE")
	fromIBAN := fs.String("from-iban", "", "propose --sepa: the IBAN paid from (default: meta.iban of the bank account)")
	fromBIC := fs.String("from-bic", "", "propose --sepa: its BIC (default: meta.bic of the bank account; optional)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		return usagef("want import|list|dun|propose")
	}
	sub := fs.Arg(0)
	if (sub == "import") != (fs.NArg() == 3) || fs.NArg() > 3 {
		return usagef("import takes a kind (parties, invoices or payments) and a FILE; the others no arguments")
	}
	b, _, err := e.selectBook(ctx, "")
	if err != nil {
		return err
	}
	p, err := e.parties(ctx, b.ID)
	if err != nil {
		return err
	}
	d, err := parseDateFlag(*day, false)
	if err != nil {
		return err
	}
	switch sub {
	case "import":
		data, err := os.ReadFile(fs.Arg(2))
		if err != nil {
			return err
		}
		return importPartners(ctx, p, b, fs.Arg(1), data)
	case "list":
		at, err := parseDateFlag(*asOf, false)
		if err != nil {
			return err
		}
		list, err := p.List(ctx, b.ID, at)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "number\trole\tname\tcountry\tnet days\tdiscount")
		for _, x := range list {
			disc := ""
			if x.Terms.DiscountRate.IsPositive() {
				disc = fmt.Sprintf("%s %% in %d days", x.Terms.DiscountRate.Shift(2).String(), x.Terms.DiscountDays)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", x.Number, x.Role, x.Name, x.Address.Country, x.Terms.NetDays, disc)
		}
		return tw.Flush()
	case "dun":
		if d.IsZero() {
			return usagef("dun needs --date")
		}
		run, err := p.Dun(ctx, b.ID, d)
		if err != nil {
			return err
		}
		return writeNotices(ctx, e, p, b.Name, run, *letters)
	case "propose":
		if d.IsZero() {
			return usagef("propose needs --date")
		}
		due, err := parseDateFlag(*dueBy, true)
		if err != nil {
			return err
		}
		acct := *bank
		if acct == "" {
			if acct, err = e.roleAccount(ctx, b.ID, "bank"); err != nil {
				return err
			}
		}
		prop, err := p.Propose(ctx, partners.ProposalSpec{Book: b.ID, PayDate: d, DueBy: due, Account: acct})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "supplier\titems\tdiscount\tamount\tend-to-end ID\t")
		for _, x := range prop.Payments {
			var disc int64
			for _, a := range x.Allocations {
				disc += a.Discount.MinorUnits()
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t\n", x.Party, len(x.Allocations),
				money.New(disc, x.Amount.Currency()), x.Amount, x.EndToEndID)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		// The file first: a proposal is paid only once its file is written.
		if *sepaFile != "" {
			from, err := e.debtor(ctx, b.ID, b.Name, acct, *fromIBAN, *fromBIC)
			if err != nil {
				return err
			}
			created := time.Now()
			id := messageID("proposal-"+d.String(), created)
			if ts := supplierTransfers(prop, from); len(ts) == 0 {
				fmt.Fprintf(os.Stderr, "proposal: no money to transfer; %s not written\n", *sepaFile)
			} else if err := e.writeSEPA(*sepaFile, id, b.Name, created, ts); err != nil {
				return err
			}
		}
		if !*pay {
			return nil
		}
		posted, err := p.PayProposal(ctx, prop)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "proposal: %d payments posted\n", len(posted))
		return nil
	}
	return usagef("unknown partners command %q", sub)
}

// importPartners imports parties, invoices or payments from CSV, each
// file all or nothing.
func importPartners(ctx context.Context, p *partners.Parties, b ledger.Book, kind string, data []byte) error {
	switch kind {
	case "parties":
		list, err := partners.ReadParties(bytes.NewReader(data), b.ID)
		if err != nil {
			return err
		}
		if err := p.AddParties(ctx, list...); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "parties: %d versions read (versions recorded before are kept once)\n", len(list))
	case "invoices":
		list, err := partners.ReadInvoices(bytes.NewReader(data), b.ID, b.Currency)
		if err != nil {
			return err
		}
		posted, err := p.PostBatch(ctx, list)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "invoices: %d posted or found posted\n", len(posted))
	case "payments":
		list, err := partners.ReadPayments(bytes.NewReader(data), b.ID, b.Currency)
		if err != nil {
			return err
		}
		posted, err := p.SettleBatch(ctx, list)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "payments: %d settled or found settled\n", len(posted))
	default:
		return usagef("unknown import kind %q: want parties, invoices or payments", kind)
	}
	return nil
}

// writeNotices prints a dunning run's notices and, with dir, writes a
// letter per notice.
func writeNotices(ctx context.Context, e *env, p *partners.Parties, company string, run partners.DunningRun, dir string) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "dunning run %s: %d notices\n", run.Date, len(run.Notices))
	fmt.Fprintln(tw, "customer\tlevel\titems\topen\tfee\tinterest\ttotal")
	for _, n := range run.Notices {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\n", n.Party, n.Level, len(n.Items), n.Open, n.Fee, n.Interest, n.Total)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, n := range run.Notices {
		party, err := p.Party(ctx, run.Book, n.Party, run.Date)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := partners.WriteLetter(&buf, company, party, run, n); err != nil {
			return err
		}
		name := filepath.Join(dir, fmt.Sprintf("dunning-%s-%s.txt", run.Date, n.Party))
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %d letters to %s\n", len(run.Notices), dir)
	return nil
}

// verifyPartners checks a book's open items against its ledger, if the
// store keeps them; a book without parties has nothing to check.
func verifyPartners(ctx context.Context, e *env, book string) error {
	p, err := e.parties(ctx, book)
	if err != nil {
		if errors.Is(err, partners.ErrNoAccount) {
			return nil // a chart without control accounts has no open items
		}
		return err
	}
	return p.Verify(ctx, book)
}
