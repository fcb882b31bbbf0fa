package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/openbackoffice/backoffice/bank/nacha"
	"github.com/openbackoffice/backoffice/bank/sepa"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
)

// writePrivate writes a payment file: under a temporary name beside path,
// renamed into place only when write succeeded, and readable by the owner
// only (it holds names and accounts). A failed write leaves nothing under
// path.
func (e *env) writePrivate(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	e.temps = append(e.temps, f.Name())
	if err := write(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

// debtor returns the book's bank account as the debtor of SEPA transfers:
// the IBAN and BIC given, else the account's meta.iban and meta.bic.
func (e *env) debtor(ctx context.Context, book, name, acct, iban, bic string) (sepa.Party, error) {
	if iban == "" {
		accts, err := e.ledger.Accounts(ctx, book)
		if err != nil {
			return sepa.Party{}, err
		}
		for _, a := range accts {
			if a.Code == acct {
				iban, bic = a.Metadata["iban"], a.Metadata["bic"]
			}
		}
	}
	if iban == "" {
		return sepa.Party{}, usagef("the bank account %s has no meta.iban: give --from-iban", acct)
	}
	return sepa.Party{Name: name, Account: hr.BankAccount{IBAN: iban, BIC: bic}}, nil
}

// messageID is a pain.001 message ID for what (a run or proposal ID)
// created at created: unique per file, at most 35 characters.
func messageID(what string, created time.Time) string {
	stamp := created.UTC().Format("20060102150405")
	id := strings.Map(func(r rune) rune {
		if r == '/' || r == '_' {
			return '-'
		}
		return r
	}, sepa.Latin(what))
	return id[:min(len(id), sepa.MaxIDLen-len(stamp)-1)] + "-" + stamp
}

// writeSEPA writes transfers to path as one pain.001 message and prints
// what it wrote and every name or text it converted (to stdout: the
// command's output, never a log).
func (e *env) writeSEPA(path, id, initiator string, created time.Time, ts []sepa.Transfer) error {
	var res sepa.Result
	err := e.writePrivate(path, func(w io.Writer) error {
		var err error
		res, err = sepa.Write(w, sepa.Message{ID: id, CreatedAt: created, InitiatingParty: initiator,
			BatchBooking: true, Transfers: ts})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d transfers, %s, in %d blocks\n", path, res.Transactions, res.Total, res.Blocks)
	printChanges(e.stdout, res.Changes)
	return nil
}

// printChanges lists the names and texts converted to the SEPA character
// set, for the user to check.
func printChanges(w io.Writer, cs []sepa.Change) {
	if len(cs) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "converted to the SEPA character set:")
	fmt.Fprintln(tw, "end-to-end ID\tfield\tbefore\tafter")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.EndToEndID, c.Field, c.Before, c.After)
	}
	tw.Flush()
}

// payFiles writes the payment files of a posted run: SEPA for accounts
// with an IBAN, NACHA for US accounts. With only one of the two files
// asked for, every employee must have an account of its kind.
func (e *env) payFiles(ctx context.Context, runs *payroll.Runs, book, name, id, sepaPath, fromIBAN, fromBIC, nachaPath, nachaConfig string, created time.Time) error {
	ts, err := runs.Transfers(ctx, id, time.Time{})
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		return fmt.Errorf("run %s pays no net pay", id)
	}
	sepaTs, achTs := ts, ts
	if sepaPath != "" && nachaPath != "" {
		sepaTs, achTs = nil, nil
		for _, t := range ts {
			if t.Bank.Normalize().IBAN != "" {
				sepaTs = append(sepaTs, t)
			} else {
				achTs = append(achTs, t)
			}
		}
	}
	if sepaPath != "" && len(sepaTs) > 0 {
		bank, err := e.roleAccount(ctx, book, "bank")
		if err != nil {
			return err
		}
		from, err := e.debtor(ctx, book, name, bank, fromIBAN, fromBIC)
		if err != nil {
			return err
		}
		tr, err := sepa.Salaries(sepaTs, from)
		if err != nil {
			return err
		}
		if err := e.writeSEPA(sepaPath, messageID(id, created), name, created, tr); err != nil {
			return err
		}
	}
	if nachaPath != "" && len(achTs) > 0 {
		cfg, err := readNACHAConfig(nachaConfig)
		if err != nil {
			return err
		}
		var res nacha.Result
		err = e.writePrivate(nachaPath, func(w io.Writer) error {
			var err error
			res, err = nacha.Write(w, cfg, achTs[0].PayDate, created, achTs)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "wrote %s: %d entries, %s, offset %s\n", nachaPath, res.Entries, res.Total, res.Offset)
	}
	return nil
}

// readNACHAConfig reads the company's ACH settings (nacha.Config as JSON).
func readNACHAConfig(path string) (nacha.Config, error) {
	var cfg nacha.Config
	if path == "" {
		return cfg, usagef("--nacha needs --nacha-config FILE (the ACH settings as JSON)")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// supplierTransfers returns the SEPA transfers of a payment proposal,
// paid from the debtor on the payments' date.
func supplierTransfers(prop partners.Proposal, from sepa.Party) []sepa.Transfer {
	out := make([]sepa.Transfer, 0, len(prop.Payments))
	for _, p := range prop.Payments {
		if !p.Amount.IsPositive() {
			continue // all taken as discount: no money moves
		}
		text := p.Text
		if text == "" {
			items := make([]string, 0, len(p.Allocations))
			for _, a := range p.Allocations {
				items = append(items, a.Item)
			}
			text = "Invoices " + strings.Join(items, ", ")
			if len(text) > sepa.MaxRemittanceLen {
				if i := strings.LastIndex(text[:sepa.MaxRemittanceLen-5], ","); i > 0 {
					text = text[:i] + ", ..."
				} else {
					text = text[:sepa.MaxRemittanceLen]
				}
			}
		}
		out = append(out, sepa.Transfer{Debtor: from, ExecutionDate: p.Date, EndToEndID: p.EndToEndID,
			Amount: p.Amount, Creditor: sepa.Party{Name: p.Name, Account: p.Bank},
			Purpose: sepa.SupplierPayment, Remittance: text})
	}
	return out
}
