package partners

import (
	"fmt"
	"io"
	"strings"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// WriteLetter writes a dunning notice as a plain-text letter from company
// to the party (the version in force on the run's date): the address, the
// title, a table of the overdue items with their interest, the fee and the
// total to pay. The text is in English; amounts are written with a decimal
// point and their currency code.
func WriteLetter(w io.Writer, company string, party Party, run DunningRun, n Notice) error {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("%s", company)
	line("")
	line("%s", party.Name)
	if a := party.Address; a.Street != "" || a.City != "" {
		line("%s", a.Street)
		line("%s", strings.TrimSpace(a.PostalCode+" "+a.City))
		if a.Country != "" {
			line("%s", a.Country)
		}
	}
	line("")
	line("%s", run.Date)
	line("Customer number %s", party.Number)
	line("")
	line("%s", strings.ToUpper(n.Title))
	line("")
	line("According to our records the following items are overdue:")
	line("")
	amt := func(a money.Amount) string { return a.Number() + " " + a.Currency().Code() }
	line("%-14s %-10s %-10s %5s %16s %14s", "Item", "Date", "Due", "Days", "Open", "Interest")
	for _, it := range n.Items {
		line("%-14s %-10s %-10s %5d %16s %14s", it.Item, dateStr(it.Date), dateStr(it.DueDate), it.DaysOverdue, amt(it.Open), amt(it.Interest))
	}
	line("")
	line("%-40s %16s", "Open items", amt(n.Open))
	if !n.Interest.IsZero() {
		line("%-40s %16s", "Default interest (§ 288 BGB)", amt(n.Interest))
	}
	if !n.Fee.IsZero() {
		line("%-40s %16s", "Dunning fee", amt(n.Fee))
	}
	line("%-40s %16s", "Total to pay", amt(n.Total))
	line("")
	line("Please pay the total within 7 days. If you have paid in the meantime,")
	line("please disregard this letter.")
	_, err := io.WriteString(w, b.String())
	return err
}

func dateStr(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
