package hr_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
)

var noDate = date.Date{}

var t0 = time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC)

func day(s string) date.Date       { return date.MustParse(s) }
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func eur(s string) money.Amount    { return money.MustParse(s, money.EUR) }
func usd(s string) money.Amount    { return money.MustParse(s, money.USD) }

// cmpOpts compare hr values by meaning.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b date.Date) bool { return a == b }),
	cmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	cmp.Comparer(func(a, b money.Amount) bool { return a == b }),
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

// ignoreRecorded leaves out what a store stamps on records.
var ignoreRecorded = cmpopts.IgnoreFields(hr.Effective{}, "RecordedAt", "Seq")

// pii is an employee whose every personal field is distinctive, so tests
// can look for it in error messages.
func pii() hr.Employee {
	return hr.Employee{
		Employer: "acme", PersonnelNumber: "P-77",
		GivenName: "Zebulon", FamilyName: "Quixotewicz", BirthDate: day("1977-07-17"),
		Address: hr.Address{Street: "Geheimweg 42", PostalCode: "98765", City: "Nirgendwo", Country: "DE"},
		Email:   "zebulon.q@example.org", HireDate: day("2026-01-01"),
		Bank: hr.BankAccount{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
	}
}

// personal are the strings that must never appear in an error message.
var personal = []string{"Zebulon", "Quixotewicz", "1977", "Geheimweg", "98765", "Nirgendwo", "zebulon",
	"DE89", "37040044", "0532013000", "COBADEFF", "021000021", "123456789", "4000.00", "4000,00"}

type env struct {
	t   *testing.T
	ctx context.Context
	now time.Time
	r   *hr.Records
	s   *memory.Store
}

func newEnv(t *testing.T) *env {
	e := &env{t: t, ctx: t.Context(), now: t0, s: memory.New()}
	e.r = hr.New(e.s, &hr.Options{Now: func() time.Time { return e.now }})
	return e
}

func (e *env) hire(emp hr.Employee) hr.Employee {
	e.t.Helper()
	got, err := e.r.Hire(e.ctx, emp)
	if err != nil {
		e.t.Fatalf("Hire: %v", err)
	}
	return got
}

func contract(emp, from string, amount string) hr.Contract {
	return hr.Contract{Employee: emp, Effective: hr.Effective{ValidFrom: day(from)},
		PayType: hr.Monthly, Amount: eur(amount), Frequency: hr.MonthlyPay,
		WeeklyHours: dec("40"), WorkDays: hr.MondayToFriday}
}
