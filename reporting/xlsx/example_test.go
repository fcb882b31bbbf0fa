package xlsx_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
	"github.com/xuri/excelize/v2"
)

func ExampleWrite() {
	eur := func(s string) reporting.Cell { return reporting.Cell{Amount: money.MustParse(s, money.EUR)} }
	tb := reporting.Report{
		Kind: reporting.TrialBalanceReport, Title: "Trial balance", Company: "Muster GmbH",
		Currency: money.EUR, From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31"),
		Generated: time.Date(2027, 1, 15, 9, 30, 0, 0, time.UTC),
		Columns: []reporting.Column{
			{Key: "account", Label: "Account", Kind: reporting.TextColumn},
			{Key: "balance", Label: "Balance", Kind: reporting.AmountColumn},
		},
		Rows: []reporting.Row{
			{Level: 1, Label: "1200", Cells: []reporting.Cell{{Text: "1200"}, eur("138537.62")}},
			{Level: 1, Label: "8400", Cells: []reporting.Cell{{Text: "8400"}, eur("-138537.62")}},
			{Kind: reporting.TotalRow, Label: "Total", Cells: []reporting.Cell{{Text: "Total"}, eur("0.00")},
				Terms: []reporting.Term{{Row: 0}, {Row: 1}}},
		},
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, []reporting.Report{tb}, nil); err != nil {
		log.Fatal(err)
	}

	// Read the workbook back.
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fmt.Println(f.GetSheetList())
	for _, ref := range []string{"A1", "B3", "B9", "B11"} {
		v, _ := f.GetCellValue("Trial balance", ref)
		formula, _ := f.GetCellFormula("Trial balance", ref)
		if formula != "" {
			formula = " =" + formula
		}
		fmt.Printf("%s %q%s\n", ref, v, formula)
	}
	// Output:
	// [Trial balance]
	// A1 "Trial balance"
	// B3 "2026-01-01 – 2026-12-31"
	// B9 "138,537.62"
	// B11 "0.00" =ROUND(SUM(B9:B10),2)
}
