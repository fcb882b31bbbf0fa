// Package xlsx renders reports of package reporting as styled Excel
// workbooks (.xlsx). It is the only package of the module that imports
// excelize (github.com/xuri/excelize/v2).
//
// Write renders a slice of reports, one sheet each; a Workbook does the same
// sheet by sheet and takes the rows of huge reports (a general ledger of
// millions of postings) from an iterator, streaming them to a temporary file
// in bounded memory:
//
//	err := xlsx.Write(w, []reporting.Report{tb, bs, is}, nil)
//
//	wb := xlsx.New(nil)
//	defer wb.Close()
//	err = wb.AddRows(glHeader, glRows) // glRows is an iter.Seq2[reporting.Row, error]
//	_, err = wb.WriteTo(w)
//
// # Layout of a sheet
//
// Each sheet starts with a header block (HeaderRows rows): the report title,
// then label/value rows for company, period ("Period" From – To, or "As of"
// To when From is zero), generation time, filter and currency, and an empty
// row. The column headings follow on row HeaderRows+1 and report row i is
// sheet row HeaderRows+2+i. Header block and headings are frozen. Detail
// reports (general ledger, account statement) get an autofilter on the
// headings. The report's checks follow the rows after an empty row: the
// label over the leading text columns, the two amounts and the verdict
// right of them, in columns wide enough for them.
//
// # Language
//
// The sheet's own words (the header block, "Checks", "OK", the page
// footer, the Charts sheet, sheet names of titles too long for one) come
// from the message catalogue of Report.Language (reporting.Messages), and
// so do the formats: amounts are formatted with the language's locale ID
// ([$-407]#,##0.00 in German, which LibreOffice shows as 1.234,56; Excel
// uses the reader's separators), dates as dd.mm.yyyy in German.
//
// # Printing
//
// Every cell is Arial 10 (LibreOffice draws it as the metric-compatible
// Liberation Sans). Column widths follow the widest cell in the report's
// number format; a label longer than 60 characters wraps, on a row as
// high as its lines. Sheets print on A4, or US Letter for a report in US
// dollars (Options.Paper overrides): portrait when the columns fit the
// page width, else landscape fitted to the page width if that prints at
// 80 % or more (8 pt), else at 80 % across as many pages as it takes (a
// monthly statement of 14 columns), with the headings row and the leading
// text columns repeated on every page. The page header names company,
// report and period, the footer the sheet and "Page n of m". Page breaks
// keep a statement's sections together: a heading, its lines and its
// subtotal start a new page rather than break, if they fit on one.
// Package reporting/pdf prints the workbook to PDF with this setup.
//
// The sheet's columns are Report.Columns. A report without any text column
// gets a leading label column filled from Row.Label. Row.Level indents the
// label cell: the cell of the text column keyed "label" (as the builders of
// package reporting name it), else the first text cell whose text equals
// Row.Label, else the first text cell of the row. Heading rows are bold on a light fill,
// subtotal rows bold with a rule above, total rows bold with a rule above
// and a double rule below.
//
// # Numbers are exact
//
// Amount cells are numbers with the format "#,##0.00;[Red]-#,##0.00", the
// number of decimals being the currency's minor units (0 for JPY, 3 for
// BHD); the currency code is shown in the header block. Excel holds numbers
// as IEEE 754 doubles and shows at most 15 significant digits, and every
// decimal with at most 15 significant digits survives the trip to a double
// and back unchanged. So an amount with at most 15 significant digits
// (9,999,999,999,999.99 EUR, 999,999,999,999,999 JPY) is stored exactly:
// the cell's XML holds the amount's own decimal text. An amount with more
// significant digits cannot be held by a spreadsheet exactly and is refused
// with ErrPrecision rather than silently rounded. The package never does
// arithmetic on floating-point numbers.
//
// Date cells are numbers too (days since 1899-12-30, Excel's serial date)
// with the format "yyyy-mm-dd", so they sort and filter as dates.
//
// # Subtotals are formulas
//
// Every amount cell of a subtotal or total row is written as a formula built
// from Row.Terms together with its value, so the sheet recalculates to the
// same figure when opened: runs of two or more consecutive rows with the
// same sign become SUM ranges, other terms single references, in the order
// of Terms, rounded to the currency's minor units:
// =ROUND(SUM(C9:C12)-C15+C17,2). The rounding changes no value (the terms
// have no more decimals than the currency) but removes the error of the
// spreadsheet's binary floating-point addition, which would otherwise turn
// a total of 0.00 into 7.3E-12. AddReport checks, with exact integer
// arithmetic, that the terms add up to the value the row carries and fails
// with ErrTerms if they do not. A formula longer than Excel's 8,192
// characters is left out; the cell then holds the value only.
//
// # Text stays text
//
// Text cells are written as strings and formatted as text ("@"), so a label
// such as "=HYPERLINK(…)" or "+49 30 1234" is shown as typed, is never
// evaluated, and stays text when someone edits the cell. The text itself is
// not changed (no apostrophe is prepended): reading the cell back gives the
// exact text.
//
// # Charts
//
// Options.Monthly, Options.Composition and Options.Series add a "Charts"
// sheet: revenue, expenses and result per month from an income statement
// with one amount column per month (without its total column), the
// composition of a balance sheet's assets and of its equity and
// liabilities, and any SeriesChart (the cash position at each month end, payroll
// cost by cost centre). The charted rows are named explicitly by their
// indexes into Report.Rows (Report.LineRow finds a layout line's subtotal,
// not its heading); the chart data is a small table on the Charts sheet
// whose cells are formulas referring to the report sheets. Each chart is
// on a page of its own.
//
// # Concurrency
//
// Write is safe for concurrent use. A Workbook is not: use it from one
// goroutine at a time.
package xlsx
