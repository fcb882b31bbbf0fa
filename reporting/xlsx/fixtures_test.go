package xlsx_test

import (
	"iter"
	"strconv"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
)

// Hand-made reports as a builder would return them: realistic figures whose
// subtotals add up.

var generated = time.Date(2027, 1, 15, 9, 30, 0, 0, time.UTC)

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

func text(s string) reporting.Cell       { return reporting.Cell{Text: s} }
func amt(s string) reporting.Cell        { return reporting.Cell{Amount: eur(s)} }
func day(s string) reporting.Cell        { return reporting.Cell{Date: date.MustParse(s)} }
func blank() reporting.Cell              { return reporting.Cell{Blank: true} }
func terms(rows ...int) []reporting.Term { return termsNeg(nil, rows...) }

// termsNeg returns terms for rows, negated where neg says so.
func termsNeg(neg map[int]bool, rows ...int) []reporting.Term {
	t := make([]reporting.Term, len(rows))
	for k, r := range rows {
		t[k] = reporting.Term{Row: r, Neg: neg[r]}
	}
	return t
}

// trialBalance is a Summen- und Saldenliste: opening, debit, credit, closing
// per account and a total.
func trialBalance() reporting.Report {
	cols := []reporting.Column{
		{Key: "account", Label: "Account", Kind: reporting.TextColumn},
		{Key: "name", Label: "Name", Kind: reporting.TextColumn},
		{Key: "opening", Label: "Opening balance", Kind: reporting.AmountColumn},
		{Key: "debit", Label: "Debit", Kind: reporting.AmountColumn},
		{Key: "credit", Label: "Credit", Kind: reporting.AmountColumn},
		{Key: "closing", Label: "Closing balance", Kind: reporting.AmountColumn},
	}
	detail := func(acct, name, open, dr, cr, cl string) reporting.Row {
		return reporting.Row{Kind: reporting.DetailRow, Level: 1, Account: acct, Label: name,
			Cells: []reporting.Cell{text(acct), text(name), amt(open), amt(dr), amt(cr), amt(cl)}}
	}
	rows := []reporting.Row{
		detail("0200", "Technical equipment", "48000.00", "12500.00", "9600.00", "50900.00"),
		detail("1200", "Bank", "125430.17", "402118.35", "389010.90", "138537.62"),
		detail("1400", "Trade receivables", "35200.00", "238000.00", "231450.00", "41750.00"),
		detail("1600", "Trade payables", "-28750.40", "151220.00", "158930.55", "-36460.95"),
		detail("0800", "Subscribed capital", "-25000.00", "0.00", "0.00", "-25000.00"),
		detail("0860", "Retained earnings", "-154879.77", "0.00", "0.00", "-154879.77"),
		detail("8400", "Revenue 19% VAT", "0.00", "1250.00", "201250.00", "-200000.00"),
		detail("4120", "Salaries", "0.00", "96000.00", "0.00", "96000.00"),
		detail("4210", "Rent", "0.00", "18000.00", "0.00", "18000.00"),
		detail("4930", "Office supplies", "0.00", "1153.10", "0.00", "1153.10"),
		detail("4830", "Depreciation", "0.00", "9600.00", "0.00", "9600.00"),
		detail("1576", "Input VAT 19%", "0.00", "60400.00", "0.00", "60400.00"),
		detail("1776", "Output VAT 19%", "0.00", "0.00", "0.00", "0.00"),
	}
	rows = append(rows, reporting.Row{Kind: reporting.TotalRow, Label: "Total",
		Cells: []reporting.Cell{text(""), text("Total"), amt("0.00"), amt("990241.45"), amt("990241.45"), amt("0.00")},
		Terms: terms(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)})
	return reporting.Report{
		Kind: reporting.TrialBalanceReport, Title: "Trial balance", Company: "Muster GmbH", Book: "muster",
		Currency: money.EUR, From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31"),
		Generated: generated, Columns: cols, Rows: rows,
		Checks: []reporting.Check{{Label: "Σ debits = Σ credits", Left: eur("990241.45"), Right: eur("990241.45")}},
	}
}

// balanceSheet is a balance sheet as of a date with the prior year, in the
// HGB §266 shape.
func balanceSheet() reporting.Report {
	cols := []reporting.Column{
		{Key: "line", Label: "Line", Kind: reporting.TextColumn},
		{Key: "label", Label: "Item", Kind: reporting.TextColumn},
		{Key: "2026-12-31", Label: "31 Dec 2026", Kind: reporting.AmountColumn, To: date.MustParse("2026-12-31")},
		{Key: "2025-12-31", Label: "31 Dec 2025", Kind: reporting.AmountColumn, To: date.MustParse("2025-12-31")},
	}
	row := func(k reporting.RowKind, lvl int, line, label, cur, prior string, t ...int) reporting.Row {
		c := []reporting.Cell{text(line), text(label), blank(), blank()}
		if k != reporting.HeadingRow {
			c[2], c[3] = amt(cur), amt(prior)
		}
		return reporting.Row{Kind: k, Level: lvl, Line: line, Label: label, Cells: c, Terms: terms(t...)}
	}
	rows := []reporting.Row{
		row(reporting.HeadingRow, 0, "A", "Assets", "", ""),                                                  // 0
		row(reporting.DetailRow, 2, "A.I", "Intangible assets", "12000.00", "15000.00"),                      // 1
		row(reporting.DetailRow, 2, "A.II", "Property, plant and equipment", "50900.00", "48000.00"),         // 2
		row(reporting.SubtotalRow, 1, "A", "Fixed assets", "62900.00", "63000.00", 1, 2),                     // 3
		row(reporting.DetailRow, 2, "B.I", "Inventories", "18250.33", "16400.00"),                            // 4
		row(reporting.DetailRow, 2, "B.II", "Receivables and other assets", "41750.00", "35200.00"),          // 5
		row(reporting.DetailRow, 2, "B.IV", "Cash and bank balances", "138537.62", "125430.17"),              // 6
		row(reporting.SubtotalRow, 1, "B", "Current assets", "198537.95", "177030.17", 4, 5, 6),              // 7
		row(reporting.TotalRow, 0, "", "Total assets", "261437.95", "240030.17", 3, 7),                       // 8
		row(reporting.HeadingRow, 0, "P", "Equity and liabilities", "", ""),                                  // 9
		row(reporting.DetailRow, 2, "P.A.I", "Subscribed capital", "25000.00", "25000.00"),                   // 10
		row(reporting.DetailRow, 2, "P.A.IV", "Retained earnings", "154879.77", "160379.77"),                 // 11
		row(reporting.DetailRow, 2, "P.A.V", "Net income / loss for the year", "24797.23", "-5500.00"),       // 12
		row(reporting.SubtotalRow, 1, "P.A", "Equity", "204677.00", "179879.77", 10, 11, 12),                 // 13
		row(reporting.DetailRow, 1, "P.B", "Provisions", "20300.00", "31400.00"),                             // 14
		row(reporting.DetailRow, 1, "P.C", "Liabilities", "36460.95", "28750.40"),                            // 15
		row(reporting.TotalRow, 0, "", "Total equity and liabilities", "261437.95", "240030.17", 13, 14, 15), // 16
	}
	return reporting.Report{
		Kind: reporting.BalanceSheetReport, Title: "Balance sheet", Company: "Muster GmbH", Book: "muster",
		Currency: money.EUR, To: date.MustParse("2026-12-31"), Generated: generated,
		Columns: cols, Rows: rows,
		Checks: []reporting.Check{{Label: "Assets = equity and liabilities", Left: eur("261437.95"), Right: eur("261437.95")}},
	}
}

// incomeStatement is an income statement with one column per month of the
// first half of 2026.
func incomeStatement() reporting.Report {
	cols := []reporting.Column{{Key: "line", Label: "Line", Kind: reporting.TextColumn}}
	for m := time.January; m <= time.June; m++ {
		from := date.New(2026, m, 1)
		cols = append(cols, reporting.Column{Key: from.String()[:7], Label: from.String()[:7], Kind: reporting.AmountColumn, From: from, To: from.EndOfMonth()})
	}
	type line struct {
		kind   reporting.RowKind
		lvl    int
		label  string
		months [6]string
		terms  []reporting.Term
	}
	lines := []line{
		{reporting.HeadingRow, 0, "Operating income", [6]string{}, nil},                                                                                    // 0
		{reporting.DetailRow, 1, "Revenue", [6]string{"31250.00", "28900.50", "35120.75", "33000.00", "29875.25", "41853.50"}, nil},                        // 1
		{reporting.DetailRow, 1, "Other operating income", [6]string{"0.00", "1200.00", "0.00", "350.40", "0.00", "0.00"}, nil},                            // 2
		{reporting.SubtotalRow, 0, "Total income", [6]string{"31250.00", "30100.50", "35120.75", "33350.40", "29875.25", "41853.50"}, terms(1, 2)},         // 3
		{reporting.HeadingRow, 0, "Operating expenses", [6]string{}, nil},                                                                                  // 4
		{reporting.DetailRow, 1, "Cost of materials", [6]string{"9120.00", "8840.10", "10200.00", "9990.00", "8700.00", "12450.00"}, nil},                  // 5
		{reporting.DetailRow, 1, "Personnel expenses", [6]string{"16000.00", "16000.00", "16000.00", "16000.00", "16000.00", "16000.00"}, nil},             // 6
		{reporting.DetailRow, 1, "Depreciation", [6]string{"800.00", "800.00", "800.00", "800.00", "800.00", "800.00"}, nil},                               // 7
		{reporting.DetailRow, 1, "Other operating expenses", [6]string{"4310.55", "3020.00", "5877.30", "2999.99", "7100.00", "3312.45"}, nil},             // 8
		{reporting.SubtotalRow, 0, "Total expenses", [6]string{"30230.55", "28660.10", "32877.30", "29789.99", "32600.00", "32562.45"}, terms(5, 6, 7, 8)}, // 9
		{reporting.TotalRow, 0, "Net income / loss", [6]string{"1019.45", "1440.40", "2243.45", "3560.41", "-2724.75", "9291.05"},
			termsNeg(map[int]bool{9: true}, 3, 9)}, // 10
	}
	var rows []reporting.Row
	for _, l := range lines {
		r := reporting.Row{Kind: l.kind, Level: l.lvl, Label: l.label, Terms: l.terms, Cells: []reporting.Cell{text(l.label)}}
		for _, v := range l.months {
			if l.kind == reporting.HeadingRow {
				r.Cells = append(r.Cells, blank())
			} else {
				r.Cells = append(r.Cells, amt(v))
			}
		}
		rows = append(rows, r)
	}
	return reporting.Report{
		Kind: reporting.IncomeStatementReport, Title: "Income statement", Company: "Muster GmbH", Book: "muster",
		Currency: money.EUR, From: date.MustParse("2026-01-01"), To: date.MustParse("2026-06-30"),
		Generated: generated, Filter: "cost_centre=100", Columns: cols, Rows: rows,
	}
}

// glColumns are the columns of a general ledger.
var glColumns = []reporting.Column{
	{Key: "date", Label: "Date", Kind: reporting.DateColumn},
	{Key: "entry", Label: "Entry", Kind: reporting.TextColumn},
	{Key: "account", Label: "Account", Kind: reporting.TextColumn},
	{Key: "text", Label: "Text", Kind: reporting.TextColumn},
	{Key: "debit", Label: "Debit", Kind: reporting.AmountColumn},
	{Key: "credit", Label: "Credit", Kind: reporting.AmountColumn},
	{Key: "balance", Label: "Balance", Kind: reporting.AmountColumn},
}

// generalLedger is a small general ledger: per account a heading, the
// postings with a running balance and a subtotal of debits and credits.
// Its posting texts include formula-like text that must stay text.
func generalLedger() reporting.Report {
	post := func(d, entry, acct, txt, dr, cr, bal string) reporting.Row {
		return reporting.Row{Kind: reporting.DetailRow, Level: 1, Account: acct, Label: txt,
			Cells: []reporting.Cell{day(d), text(entry), text(acct), text(txt), amt(dr), amt(cr), amt(bal)}}
	}
	head := func(acct, name string) reporting.Row {
		return reporting.Row{Kind: reporting.HeadingRow, Account: acct, Label: acct + " " + name,
			Cells: []reporting.Cell{blank(), blank(), text(acct), text(acct + " " + name), blank(), blank(), blank()}}
	}
	sub := func(acct, dr, cr string, t ...int) reporting.Row {
		return reporting.Row{Kind: reporting.SubtotalRow, Level: 0, Account: acct, Label: "Total " + acct,
			Cells: []reporting.Cell{blank(), blank(), text(acct), text("Total " + acct), amt(dr), amt(cr), blank()}, Terms: terms(t...)}
	}
	rows := []reporting.Row{
		head("1200", "Bank"), // 0
		post("2026-03-02", "2026-0001", "1200", "Opening balance", "125430.17", "0.00", "125430.17"),                             // 1
		post("2026-03-05", "2026-0002", "1200", "=HYPERLINK(\"http://evil.example\",\"click\")", "0.00", "1190.00", "124240.17"), // 2
		post("2026-03-09", "2026-0003", "1200", "+49 30 1234567 refund", "250.00", "0.00", "124490.17"),                          // 3
		post("2026-03-31", "2026-0004", "1200", "-5% discount (customer 4711)", "0.00", "8999999998809.99", "-8999999874319.82"), // 4
		sub("1200", "125680.17", "8999999999999.99", 1, 2, 3, 4),                                                                 // 5: 15 significant digits
		head("8400", "Revenue 19% VAT"), // 6
		post("2026-03-05", "2026-0002", "8400", "@SUM(A1:A9)", "0.00", "1000.00", "-1000.00"),       // 7
		post("2026-03-20", "2026-0005", "8400", "\tInvoice 2026-117\r", "0.00", "0.01", "-1000.01"), // 8
		sub("8400", "0.00", "1000.01", 7, 8),                                                        // 9
	}
	return reporting.Report{
		Kind: reporting.GeneralLedgerReport, Title: "General ledger", Company: "Muster GmbH", Book: "muster",
		Currency: money.EUR, From: date.MustParse("2026-03-01"), To: date.MustParse("2026-03-31"),
		Generated: generated, Columns: glColumns, Rows: rows,
	}
}

// glRows yields n postings of a large general ledger without holding them:
// a heading per account, perAccount postings each, and a subtotal of the
// account's debits and credits whose terms are the postings.
func glRows(n, perAccount int) iter.Seq2[reporting.Row, error] {
	return func(yield func(reporting.Row, error) bool) {
		start := date.MustParse("2026-01-01")
		cells := make([]reporting.Cell, len(glColumns))
		var ts []reporting.Term
		i := 0 // index of the next row yielded
		for p := 0; p < n; {
			acct := strconv.Itoa(1000 + p/perAccount)
			if !yield(reporting.Row{Kind: reporting.HeadingRow, Account: acct, Label: acct,
				Cells: []reporting.Cell{blank(), blank(), text(acct), text("Account " + acct), blank(), blank(), blank()}}, nil) {
				return
			}
			i++
			first := i
			var bal, dr, cr int64
			for k := 0; k < perAccount && p < n; k, p = k+1, p+1 {
				v := int64(p%9973)*101 + 1 // cents
				cells[0] = reporting.Cell{Date: start.AddDays(p % 365)}
				cells[1] = reporting.Cell{Text: "2026-" + strconv.Itoa(1_000_000 + p)[1:]}
				cells[2] = reporting.Cell{Text: acct}
				cells[3] = reporting.Cell{Text: "Invoice " + strconv.Itoa(p)}
				if p%2 == 0 {
					bal += v
					dr += v
					cells[4], cells[5] = reporting.Cell{Amount: money.New(v, money.EUR)}, reporting.Cell{Amount: money.Zero(money.EUR)}
				} else {
					bal -= v
					cr += v
					cells[4], cells[5] = reporting.Cell{Amount: money.Zero(money.EUR)}, reporting.Cell{Amount: money.New(v, money.EUR)}
				}
				cells[6] = reporting.Cell{Amount: money.New(bal, money.EUR)}
				if !yield(reporting.Row{Kind: reporting.DetailRow, Level: 1, Account: acct, Label: cells[3].Text, Cells: cells}, nil) {
					return
				}
				i++
			}
			ts = ts[:0]
			for t := first; t < i; t++ {
				ts = append(ts, reporting.Term{Row: t})
			}
			if !yield(reporting.Row{Kind: reporting.SubtotalRow, Account: acct, Label: "Total " + acct,
				Cells: []reporting.Cell{blank(), blank(), text(acct), text("Total " + acct),
					{Amount: money.New(dr, money.EUR)}, {Amount: money.New(cr, money.EUR)}, blank()},
				Terms: ts}, nil) {
				return
			}
			i++
		}
	}
}

func glHeader() reporting.Report {
	r := generalLedger()
	r.Rows = nil
	r.Title = "General ledger 2026"
	r.From, r.To = date.MustParse("2026-01-01"), date.MustParse("2026-12-31")
	return r
}
