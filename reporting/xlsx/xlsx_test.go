package xlsx_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/xuri/excelize/v2"
)

// books is the workbook most tests look at: the four reports and both
// charts.
func books(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := xlsx.Write(&buf, []reporting.Report{trialBalance(), balanceSheet(), incomeStatement(), generalLedger()}, &xlsx.Options{
		Monthly:     &xlsx.MonthlyChart{Report: 2, Revenue: 3, Expenses: 9, Result: 10},
		Composition: &xlsx.CompositionChart{Report: 1, Column: 2, Assets: []int{3, 7}, Liabilities: []int{13, 14, 15}},
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		write func(t *testing.T) []byte
	}{
		{"books", func(t *testing.T) []byte { return books(t) }},
		{"streamed", func(t *testing.T) []byte {
			var buf bytes.Buffer
			wb := xlsx.New(nil)
			defer wb.Close()
			if err := wb.AddRows(glHeader(), glRows(6, 3)); err != nil {
				t.Fatal(err)
			}
			if _, err := wb.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}},
		{"currencies", func(t *testing.T) []byte { return currencies(t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGolden(t, tt.name, tt.write(t))
		})
	}
}

// currencies is a workbook of the largest amounts of currencies with 0, 3
// and 4 decimals.
func currencies(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, []reporting.Report{
		largest(money.JPY, "999999999999999", "-999999999999999"),
		largest(money.BHD, "999999999999.999", "-0.001"),
		largest(money.CLF, "99999999999.9999", "0.0001"),
	}, nil); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// largest is a report in currency c with two amounts and their total.
func largest(c money.Currency, a, b string) reporting.Report {
	x, y := money.MustParse(a, c), money.MustParse(b, c)
	sum, err := x.Add(y)
	if err != nil {
		panic(err)
	}
	return reporting.Report{
		Kind: reporting.AccountStatementReport, Title: "Largest amounts " + c.Code(), Company: "Muster GmbH",
		Currency: c, From: date.MustParse("2026-01-01"), To: date.MustParse("2026-01-31"),
		Columns: []reporting.Column{
			{Key: "date", Label: "Date", Kind: reporting.DateColumn},
			{Key: "amount", Label: "Amount", Kind: reporting.AmountColumn},
		},
		Rows: []reporting.Row{
			{Label: "a", Cells: []reporting.Cell{{Date: date.MustParse("2026-01-02")}, {Amount: x}}},
			{Label: "b", Cells: []reporting.Cell{{Date: date.MustParse("1900-03-01")}, {Amount: y}}},
			{Kind: reporting.TotalRow, Label: "Total", Cells: []reporting.Cell{{Blank: true}, {Amount: sum}}, Terms: []reporting.Term{{Row: 0}, {Row: 1}}},
		},
	}
}

// TestAmountsExact reads every amount cell back and compares its raw text,
// as a decimal, with the amount of the report: nothing was rounded.
func TestAmountsExact(t *testing.T) {
	reports := []reporting.Report{
		trialBalance(), balanceSheet(), incomeStatement(), generalLedger(),
		largest(money.EUR, "9999999999999.99", "-9999999999999.99"),
		largest(money.EUR, "0.01", "-0.01"),
		largest(money.JPY, "999999999999999", "1"),
		largest(money.BHD, "999999999999.999", "0.001"),
		largest(money.EUR, "1000000000000000.00", "-1000000000000000.00"), // one significant digit
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, reports, nil); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	sheets := f.GetSheetList()
	for k, r := range reports {
		for i, row := range r.Rows {
			for j, c := range r.Columns {
				if c.Kind != reporting.AmountColumn || row.Cells[j].Blank {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(j+1+labelColumn(r), xlsx.HeaderRows+2+i)
				raw, err := f.GetCellValue(sheets[k], ref, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				got, err := money.Parse(raw, r.Currency)
				if err != nil {
					t.Errorf("%s!%s: raw value %q: %v", sheets[k], ref, raw, err)
					continue
				}
				want := row.Cells[j].Amount
				if want == (money.Amount{}) {
					want = money.Zero(r.Currency)
				}
				if got != want {
					t.Errorf("%s!%s = %s, want %s", sheets[k], ref, got, want)
				}
			}
		}
	}
}

// labelColumn returns 1 if the sheet of r starts with a label column that
// is not one of r.Columns, else 0.
func labelColumn(r reporting.Report) int {
	for _, c := range r.Columns {
		if c.Kind == reporting.TextColumn {
			return 0
		}
	}
	return 1
}

// TestTextStaysText checks that text that looks like a formula is written
// as text: no formula, the exact text, a string cell formatted as text.
func TestTextStaysText(t *testing.T) {
	tests := []string{
		"=1+1",
		`=HYPERLINK("http://evil.example","click")`,
		"=cmd|' /C calc'!A0",
		"+49 30 1234567",
		"-5% discount",
		"@SUM(A1:A9)",
		"\t=1+1",
		"\r=1+1",
		"  leading and trailing  ",
		"'quoted",
		"<b>&amp;</b>",
	}
	r := reporting.Report{
		Kind: reporting.AccountStatementReport, Title: "Injection", Currency: money.EUR,
		Columns: []reporting.Column{{Key: "text", Label: "Text", Kind: reporting.TextColumn}},
	}
	for _, s := range tests {
		r.Rows = append(r.Rows, reporting.Row{Label: s, Cells: []reporting.Cell{{Text: s}}})
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, []reporting.Report{r}, nil); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	for i, want := range tests {
		t.Run(strings.TrimSpace(want), func(t *testing.T) {
			ref, _ := excelize.CoordinatesToCellName(1, xlsx.HeaderRows+2+i)
			got, err := f.GetCellValue("Injection", ref)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s = %q, want %q", ref, got, want)
			}
			formula, err := f.GetCellFormula("Injection", ref)
			if err != nil || formula != "" {
				t.Errorf("%s has formula %q (%v), want none", ref, formula, err)
			}
			typ, _ := f.GetCellType("Injection", ref)
			if typ != excelize.CellTypeInlineString {
				t.Errorf("%s has type %v, want an inline string", ref, typ)
			}
			sid, _ := f.GetCellStyle("Injection", ref)
			st, _ := f.GetStyle(sid)
			if st.NumFmt != 49 {
				t.Errorf("%s has number format %d, want 49 (text)", ref, st.NumFmt)
			}
		})
	}
}

func TestSheetNames(t *testing.T) {
	titles := []string{
		"Trial balance",
		"trial BALANCE", // the same name without regard to case
		"Trial balance",
		"Summen- und Saldenliste 01/2026 [vorläufig]: Kostenstelle *100?",
		"Summen- und Saldenliste 01/2026 [vorläufig]: Kostenstelle *200?",
		"'Quoted'",
		"",
		"History",
		"Bilanz 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", // UTF-16 surrogate pairs count twice
	}
	var reports []reporting.Report
	for _, title := range titles {
		r := trialBalance()
		r.Title = title
		reports = append(reports, r)
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, reports, nil); err != nil {
		t.Fatal(err)
	}
	got := openBook(t, buf.Bytes()).GetSheetList()
	want := []string{
		"Trial balance",
		"trial BALANCE (2)",
		"Trial balance (3)",
		"Trial balance (4)", // too long: the kind's short name
		"Trial balance (5)",
		"Quoted",
		"trial-balance",
		"History (report)",
		"Trial balance (6)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sheet names (-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	tb := trialBalance
	tests := []struct {
		name   string
		report func() reporting.Report
		opts   *xlsx.Options
		want   error
		cell   string // the CellError's cell, if any
	}{
		{"terms do not add up", func() reporting.Report {
			r := tb()
			r.Rows[len(r.Rows)-1].Cells[3] = amt("990241.46")
			return r
		}, nil, xlsx.ErrTerms, "D22"},
		{"term refers forward", func() reporting.Report {
			r := balanceSheet()
			r.Rows[3].Terms = append(r.Rows[3].Terms, reporting.Term{Row: 4})
			return r
		}, nil, xlsx.ErrTerms, "A12"},
		{"term refers to itself", func() reporting.Report {
			r := balanceSheet()
			r.Rows[3].Terms = []reporting.Term{{Row: 3}}
			return r
		}, nil, xlsx.ErrTerms, "A12"},
		{"too few cells", func() reporting.Report {
			r := tb()
			r.Rows[2].Cells = r.Rows[2].Cells[:5]
			return r
		}, nil, xlsx.ErrCells, "A11"},
		{"other currency", func() reporting.Report {
			r := tb()
			r.Rows[0].Cells[3] = reporting.Cell{Amount: money.MustParse("1.00", money.USD)}
			return r
		}, nil, xlsx.ErrCurrency, "D9"},
		{"16 significant digits", func() reporting.Report {
			return largest(money.EUR, "10000000000000.01", "0.00")
		}, nil, xlsx.ErrPrecision, "C9"},
		{"chart of a missing report", tb, &xlsx.Options{Monthly: &xlsx.MonthlyChart{Report: 3}}, xlsx.ErrChart, ""},
		{"chart row out of range", tb, &xlsx.Options{Monthly: &xlsx.MonthlyChart{Report: 0, Revenue: 99}}, xlsx.ErrChart, ""},
		{"chart of a text column", tb, &xlsx.Options{Composition: &xlsx.CompositionChart{Report: 0, Column: 1, Assets: []int{0}}}, xlsx.ErrChart, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := xlsx.Write(&bytes.Buffer{}, []reporting.Report{tt.report()}, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Write = %v, want %v", err, tt.want)
			}
			var ce *xlsx.CellError
			if errors.As(err, &ce) != (tt.cell != "") || ce != nil && ce.Cell != tt.cell {
				t.Errorf("Write = %#v, want a CellError at %q", err, tt.cell)
			}
			if strings.Contains(err.Error(), "990241") || strings.Contains(err.Error(), "10000000000000") {
				t.Errorf("error %q contains an amount", err)
			}
		})
	}
}

func TestWorkbookErrors(t *testing.T) {
	t.Run("no reports", func(t *testing.T) {
		if err := xlsx.Write(&bytes.Buffer{}, nil, nil); !errors.Is(err, xlsx.ErrNoReports) {
			t.Errorf("Write(nil) = %v, want ErrNoReports", err)
		}
	})
	t.Run("rows fail", func(t *testing.T) {
		boom := errors.New("cursor lost")
		wb := xlsx.New(nil)
		defer wb.Close()
		rows := func(yield func(reporting.Row, error) bool) {
			for row, err := range glRows(10, 4) {
				if !yield(row, err) {
					return
				}
			}
			yield(reporting.Row{}, boom)
		}
		if err := wb.AddRows(glHeader(), rows); !errors.Is(err, boom) {
			t.Fatalf("AddRows = %v, want %v", err, boom)
		}
		if _, err := wb.WriteTo(&bytes.Buffer{}); !errors.Is(err, xlsx.ErrWritten) {
			t.Errorf("WriteTo after a failed sheet = %v, want ErrWritten", err)
		}
	})
	t.Run("add after write", func(t *testing.T) {
		wb := xlsx.New(nil)
		defer wb.Close()
		if err := wb.AddReport(trialBalance()); err != nil {
			t.Fatal(err)
		}
		if _, err := wb.WriteTo(&bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		if err := wb.AddReport(trialBalance()); !errors.Is(err, xlsx.ErrWritten) {
			t.Errorf("AddReport after WriteTo = %v, want ErrWritten", err)
		}
	})
	t.Run("chart of streamed rows", func(t *testing.T) {
		wb := xlsx.New(&xlsx.Options{Monthly: &xlsx.MonthlyChart{Report: 0}})
		defer wb.Close()
		if err := wb.AddRows(glHeader(), glRows(3, 3)); err != nil {
			t.Fatal(err)
		}
		if _, err := wb.WriteTo(&bytes.Buffer{}); !errors.Is(err, xlsx.ErrChart) {
			t.Errorf("WriteTo = %v, want ErrChart", err)
		}
	})
}

// TestStreamedEqualsReport writes the same rows once with AddReport and once
// with AddRows and compares the sheets cell by cell.
func TestStreamedEqualsReport(t *testing.T) {
	r := generalLedger()
	var a, b bytes.Buffer
	if err := xlsx.Write(&a, []reporting.Report{r}, nil); err != nil {
		t.Fatal(err)
	}
	wb := xlsx.New(nil)
	defer wb.Close()
	rows := func(yield func(reporting.Row, error) bool) {
		for _, row := range r.Rows {
			if !yield(row, nil) {
				return
			}
		}
	}
	if err := wb.AddRows(r, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := wb.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	fa, fb := openBook(t, a.Bytes()), openBook(t, b.Bytes())
	// Only the column widths may differ: AddRows cannot measure the rows.
	strip := func(lines []string) []string {
		return slices.DeleteFunc(lines, func(l string) bool { return strings.HasPrefix(l, "widths ") })
	}
	if diff := cmp.Diff(strip(dumpSheet(t, fa, "General ledger")), strip(dumpSheet(t, fb, "General ledger"))); diff != "" {
		t.Errorf("AddRows differs from AddReport (-AddReport +AddRows):\n%s", diff)
	}
}
