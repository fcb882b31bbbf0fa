// Package pdf prints reports of package reporting as PDF documents, the
// form a finance team hands to its auditor.
//
// A PDF is the workbook package reporting/xlsx writes, printed by
// LibreOffice (headless) with the workbook's own page setup: A4 (US Letter
// for books in US dollars), portrait or landscape by width, wide sheets
// split across pages at no less than 8 pt with the headings and first
// columns repeated, statement sections kept on one page, the company,
// report and period in the page header and "Page n of m" in the footer,
// charts one per page. Numbers and dates follow the report's language
// (1.234,56 and 31.12.2025 in German).
//
// # Why LibreOffice
//
// The PDF is the printout of the very workbook the finance team opens in
// Excel: one layout, tested once (column widths, page breaks, repeated
// titles, charts), and what the auditor reads on paper is what the
// spreadsheet shows. The pure-Go PDF libraries (gofpdf and its forks,
// gopdf, maroto) draw text and lines; a ledger report needs tables that
// break across pages with repeated headings and first columns, right-
// aligned exact amounts, indentation, wrapped labels and charts, which
// would be a second renderer to write and keep in step with the first.
// LibreOffice is a large dependency, so it is an optional one: Write and
// Convert look it up when called and fail with ErrNoLibreOffice if it is
// missing (Debian: apt-get install libreoffice-calc-nogui). Starting it
// takes a few seconds; Convert prints many workbooks in one run.
//
// Write and Convert are safe for concurrent use: each call runs its own
// LibreOffice process with its own profile.
package pdf
