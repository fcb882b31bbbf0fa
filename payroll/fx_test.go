package payroll_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/payroll"
)

// TestRunInPayCurrency: a subsidiary paid in USD, booked in EUR. The run
// stays in USD (4,000.00 gross, 25 % tax, 10 % social a side: net
// 2,600.00); its entry is converted at the posting date's rate (31 March,
// 0.90 EUR to the dollar) and the payment at the payment date's (2 April,
// 0.92): net pay booked at 2,340.00 EUR and paid with 2,392.00 EUR, a
// realised loss of 52.00.
func TestRunInPayCurrency(t *testing.T) {
	rates, err := fx.NewTable(
		fx.Rate{Date: d("2026-03-31"), From: money.USD, To: money.EUR, Rate: dec("0.90")},
		fx.Rate{Date: d("2026-04-02"), From: money.USD, To: money.EUR, Rate: dec("0.92")},
	)
	if err != nil {
		t.Fatal(err)
	}
	w := newRunWorld(t, &payroll.Options{PayCurrencies: map[string]money.Currency{"acme": money.USD},
		Rates: rates, RoundingAccount: "6990", FXGains: "4200", FXLosses: "6990"})
	if err := w.led.CreateAccounts(w.ctx, ledger.Account{Book: "acme", Code: "1121", Name: "Bank USD", Type: ledger.Asset,
		Parent: "1100", Currency: money.USD}); err != nil {
		t.Fatal(err)
	}
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	w.hire("1", usd("4000.00"))
	w.create("2026-03")
	if _, err := w.runs.Calculate(w.ctx, "2026-03"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.runs.Approve(w.ctx, "2026-03"); err != nil {
		t.Fatal(err)
	}
	run, err := w.runs.Post(w.ctx, "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.led.Entry(w.ctx, "acme", run.Entry)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range p.Lines {
		want, err := l.Amount.Convert(money.EUR, dec("0.90"), money.HalfUp)
		if err != nil {
			t.Fatal(err)
		}
		if l.Amount.Currency() != money.USD || l.Base != want {
			t.Errorf("run entry line %s %v: base %v, want %v", l.Account, l.Amount, l.Base, want)
		}
	}
	run, err = w.runs.PostPayment(w.ctx, "2026-03", "1121", d("2026-04-02"))
	if err != nil {
		t.Fatal(err)
	}
	p, err = w.led.Entry(w.ctx, "acme", run.PaymentEntry)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range p.Lines {
		got = append(got, l.Account+" "+l.Amount.String()+" "+l.Base.String())
	}
	want := []string{
		"2130 2600.00 USD 2340.00 EUR",
		"1121 -2600.00 USD -2392.00 EUR",
		"6990 52.00 EUR " + money.Amount{}.String(),
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("payment (-got +want):\n%s", diff)
	}
	// Net pay payable is settled in both currencies.
	rows, err := w.led.Balances(w.ctx, "acme", ledger.BalanceQuery{InBase: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Account.Code == "2130" && !r.Closing.IsZero() {
			t.Errorf("net pay payable stands at %v in EUR after payment", r.Closing)
		}
	}
	if _, err := w.led.Verify(w.ctx, "acme"); err != nil {
		t.Fatal(err)
	}
}
