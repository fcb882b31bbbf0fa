package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/partners"
)

// PartnersStore is a store of the ledger and the partner records over one
// database: an invoice, its open item and its journal entry commit in one
// transaction.
type PartnersStore interface {
	ledger.Store
	partners.Store
}

// Partners runs the partners conformance suite against stores made by
// newStore; each call must return a new, empty store. It checks the
// contract of partners.Store directly: every record round-trips exactly
// (amounts, rates such as 0.125, dates, times at microsecond precision);
// party versions, items, moves and aging come back in the documented order;
// NextNumber is gapless per book and series, also under concurrency, and a
// rolled-back draw gives its number back; duplicates and missing records
// give the documented errors; AddMoves refuses to take an item below zero
// and then writes nothing; Items and Aging answer as of a past day; a
// dunning run raises its items' levels once per date; a failed
// UpdatePartners leaves nothing, also of what it posted through Tx.Ledger;
// and the transaction of ViewPartners refuses writes.
func Partners(t *testing.T, newStore func(t *testing.T) PartnersStore) {
	s := partSuite{newStore: newStore}
	t.Run("RoundTrip", s.testRoundTrip)
	t.Run("PartyVersions", s.testPartyVersions)
	t.Run("Numbers", s.testNumbers)
	t.Run("Duplicates", s.testDuplicates)
	t.Run("NotFound", s.testNotFound)
	t.Run("Moves", s.testMoves)
	t.Run("Items", s.testItems)
	t.Run("Aging", s.testAging)
	t.Run("Dunning", s.testDunning)
	t.Run("Atomicity", s.testAtomicity)
	t.Run("ReadOnly", s.testReadOnly)
}

type partSuite struct {
	newStore func(t *testing.T) PartnersStore
}

var partCmp = gocmp.Options{
	gocmp.Comparer(func(a, b date.Date) bool { return a == b }),
	gocmp.Comparer(func(a, b money.Currency) bool { return a == b }),
	gocmp.Comparer(func(a, b money.Amount) bool { return a == b }),
	// Exact: the same value with the same exponent ("0.125", not "0.1250").
	gocmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) && a.Exponent() == b.Exponent() }),
	gocmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

func (s partSuite) store(t *testing.T) PartnersStore {
	t.Helper()
	st := s.newStore(t)
	if st == nil {
		t.Fatal("newStore returned nil")
	}
	return st
}

func partUpdate(t *testing.T, st PartnersStore, fn func(ctx context.Context, tx partners.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := st.UpdatePartners(ctx, func(tx partners.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("UpdatePartners: %v", err)
	}
}

func partView(t *testing.T, st PartnersStore, fn func(ctx context.Context, tx partners.ReadTx) error) {
	t.Helper()
	ctx := context.Background()
	if err := st.ViewPartners(ctx, func(tx partners.ReadTx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("ViewPartners: %v", err)
	}
}

// partErr runs fn in UpdatePartners and checks that it fails with want.
func partErr(t *testing.T, st PartnersStore, what string, want error, fn func(ctx context.Context, tx partners.Tx) error) {
	t.Helper()
	ctx := context.Background()
	err := st.UpdatePartners(ctx, func(tx partners.Tx) error { return fn(ctx, tx) })
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

// stamp is a time with nanoseconds and a zone: stores return it in UTC at
// microsecond precision.
func stamp(sec int) time.Time {
	return time.Date(2025, 3, 1, 10, 0, sec, 123456789, time.FixedZone("CET", 3600))
}

func stored(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func fullParty(book, number string, role partners.Role, from string, sec int) partners.Party {
	p := partners.Party{Book: book, Number: number, Role: role, Name: "Name " + number,
		Address: partners.Address{Street: "Hauptstr. 1", PostalCode: "10115", City: "Berlin", Country: "DE"},
		VATID:   "DE123456789", Bank: hr.BankAccount{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"},
		Terms:   partners.Terms{NetDays: 30, DiscountDays: 10, DiscountRate: dec("0.02")},
		Dunning: "", Consumer: sec%2 == 1, RecordedAt: stamp(sec)}
	if from != "" {
		p.ValidFrom = day(from)
	}
	return p
}

// item returns an open item of book "acme" with nothing paid.
func item(id, party string, kind partners.ItemKind, dated, due string, a money.Amount) partners.Item {
	return partners.Item{Book: "acme", ID: id, Party: party, Kind: kind, Date: day(dated), DueDate: day(due),
		Amount: a, Open: a, Account: "1400", Entry: 1}
}

func fullInvoice() partners.Invoice {
	return partners.Invoice{
		Book: "acme", Key: "order-7", Kind: partners.InvoiceKind, Series: "RE2025-", Party: "10001",
		Date: day("2025-03-01"), DueDate: day("2025-03-31"), DiscountDate: day("2025-03-11"), DiscountRate: dec("0.125"),
		Currency: money.EUR, Reference: "PO-1", Text: "March",
		Lines: []partners.InvoiceLine{
			{Account: "8400", Net: eur("100.00"), VAT: "19", CostCentre: "CC1", Text: "Widgets", Tax: eur("19.00")},
			{Account: "8300", Net: eur("10.05"), VAT: "7", Tax: eur("0.70")},
		},
		Number: "RE2025-00001", Net: eur("110.05"), VAT: eur("19.70"), Gross: eur("129.75"),
		VATLines: []partners.VATLine{
			{Code: "19", Rate: dec("0.19"), Account: "1776", Base: eur("100.00"), Tax: eur("19.00")},
			{Code: "7", Rate: dec("0.07"), Account: "1771", Base: eur("10.05"), Tax: eur("0.70")},
		},
		Entry: 3, PostedAt: stamp(5),
	}
}

func (s partSuite) testRoundTrip(t *testing.T) {
	st := s.store(t)
	p1 := fullParty("acme", "10001", partners.Customer, "", 1)
	p2 := fullParty("acme", "70001", partners.Supplier, "2025-01-01", 2)
	p2.Terms = partners.Terms{NetDays: 14, DiscountDays: 7, DiscountRate: dec("0.125")}
	p2.Bank = hr.BankAccount{RoutingNumber: "011000015", AccountNumber: "12345"}
	inv := fullInvoice()
	credit := partners.Invoice{Book: "acme", Key: "credit-1", Kind: partners.CreditNoteKind, Party: "10001",
		Date: day("2025-03-05"), Corrects: "RE2025-00001", Currency: money.EUR,
		Lines:  []partners.InvoiceLine{{Account: "8400", Net: eur("10.00"), VAT: "19"}},
		Number: "GS-00001", Net: eur("10.00"), VAT: eur("1.90"), Gross: eur("11.90"), Entry: 4}
	it := partners.Item{Book: "acme", ID: "RE2025-00001", Party: "10001", Kind: partners.Receivable, Invoice: "RE2025-00001",
		Date: day("2025-03-01"), DueDate: day("2025-03-31"), DiscountDate: day("2025-03-11"), DiscountRate: dec("0.125"),
		Amount: eur("129.75"), Open: eur("129.75"),
		VAT: []partners.VATShare{
			{Code: "19", Rate: dec("0.19"), Account: "1776", Gross: eur("119.00")},
			{Code: "7", Rate: dec("0.07"), Account: "1771", Gross: eur("10.75")},
		},
		Entry: 3, Account: "1400", Text: "March"}
	opening := partners.Item{Book: "acme", ID: "OP-1", Party: "70001", Kind: partners.Payable,
		Date: day("2024-12-31"), DueDate: day("2025-01-15"), Amount: usd("1000.00"), Open: usd("1000.00"), Account: "1600"}
	pay := partners.Payment{Book: "acme", Key: "bank-42", Party: "10001", Date: day("2025-03-10"), Account: "1200",
		Amount: eur("113.53"), EndToEndID: "E2E-1", Text: "thanks",
		Allocations: []partners.Allocation{{Item: "RE2025-00001", Amount: eur("113.53"), Discount: eur("16.22")}},
		Entry:       5, PostedAt: stamp(6)}
	writeOff := partners.Payment{Book: "acme", Key: "wo-1", Party: "70001", Date: day("2025-03-11"),
		Allocations: []partners.Allocation{{Item: "OP-1", WriteOff: usd("0.01")}}, Entry: 6}
	run := partners.DunningRun{Book: "acme", Date: day("2025-04-15"), CreatedAt: stamp(7), Notices: []partners.Notice{{
		Party: "10001", Level: 1, Title: "Zahlungserinnerung", Currency: money.EUR,
		Items: []partners.NoticeItem{{Item: "RE2025-00001", Date: day("2025-03-01"), DueDate: day("2025-03-31"),
			DaysOverdue: 15, Open: eur("129.75"), Level: 1, Interest: eur("0.48")}},
		Open: eur("129.75"), Fee: eur("5.00"), Interest: eur("0.48"), Total: eur("135.23")}}}

	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		got, err := tx.Settings(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if d := gocmp.Diff(got, partners.Settings{Book: "acme"}); d != "" {
			t.Errorf("Settings of a book without any (-got +want):\n%s", d)
		}
		return nil
	})
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
		for _, p := range []partners.Party{p2, p1} {
			if err := tx.AddParty(ctx, p); err != nil {
				t.Fatalf("AddParty(%s): %v", p.Number, err)
			}
		}
		if err := tx.SetSettings(ctx, partners.Settings{Book: "acme", LineRounding: true}); err != nil {
			t.Fatal(err)
		}
		for _, i := range []partners.Invoice{inv, credit} {
			if err := tx.AddInvoice(ctx, i); err != nil {
				t.Fatalf("AddInvoice(%s): %v", i.Number, err)
			}
		}
		for _, i := range []partners.Item{it, opening} {
			if err := tx.AddItem(ctx, i); err != nil {
				t.Fatalf("AddItem(%s): %v", i.ID, err)
			}
		}
		for _, p := range []partners.Payment{pay, writeOff} {
			if err := tx.AddPayment(ctx, p); err != nil {
				t.Fatalf("AddPayment(%s): %v", p.Key, err)
			}
		}
		return tx.AddDunningRun(ctx, run)
	})

	for _, p := range []*partners.Party{&p1, &p2} {
		p.RecordedAt = stored(p.RecordedAt)
	}
	inv.PostedAt, pay.PostedAt, run.CreatedAt = stored(inv.PostedAt), stored(pay.PostedAt), stored(run.CreatedAt)
	it.DunningLevel, it.LastDunned = 1, run.Date

	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		ps, err := tx.Parties(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if d := gocmp.Diff(ps, []partners.Party{p1, p2}, partCmp); d != "" {
			t.Errorf("Parties (-got +want):\n%s", d)
		}
		set, err := tx.Settings(ctx, "acme")
		if err != nil || !set.LineRounding || set.Book != "acme" {
			t.Errorf("Settings = %+v, %v; want line rounding", set, err)
		}
		for _, want := range []partners.Invoice{inv, credit} {
			got, err := tx.Invoice(ctx, "acme", want.Number)
			if err != nil {
				t.Fatalf("Invoice(%s): %v", want.Number, err)
			}
			if d := gocmp.Diff(got, want, partCmp); d != "" {
				t.Errorf("Invoice(%s) (-got +want):\n%s", want.Number, d)
			}
			got, err = tx.InvoiceByKey(ctx, "acme", want.Key)
			if err != nil {
				t.Fatalf("InvoiceByKey(%s): %v", want.Key, err)
			}
			if d := gocmp.Diff(got, want, partCmp); d != "" {
				t.Errorf("InvoiceByKey(%s) (-got +want):\n%s", want.Key, d)
			}
		}
		for _, want := range []partners.Item{it, opening} {
			got, err := tx.Item(ctx, "acme", want.ID)
			if err != nil {
				t.Fatalf("Item(%s): %v", want.ID, err)
			}
			if d := gocmp.Diff(got, want, partCmp); d != "" {
				t.Errorf("Item(%s) (-got +want):\n%s", want.ID, d)
			}
		}
		for _, want := range []partners.Payment{pay, writeOff} {
			got, err := tx.Payment(ctx, "acme", want.Key)
			if err != nil {
				t.Fatalf("Payment(%s): %v", want.Key, err)
			}
			if d := gocmp.Diff(got, want, partCmp); d != "" {
				t.Errorf("Payment(%s) (-got +want):\n%s", want.Key, d)
			}
		}
		runs, err := tx.DunningRuns(ctx, "acme", date.Date{}, date.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if d := gocmp.Diff(runs, []partners.DunningRun{run}, partCmp); d != "" {
			t.Errorf("DunningRuns (-got +want):\n%s", d)
		}
		return nil
	})

	t.Run("Invoices", func(t *testing.T) {
		other := inv
		other.Book, other.Number, other.Key = "other", "RE2025-00001", "order-7" // same number and key, other book
		partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error { return tx.AddInvoice(ctx, other) })
		tests := []struct {
			name string
			book string
			q    partners.InvoiceQuery
			want []string
		}{
			{"All", "acme", partners.InvoiceQuery{}, []string{"GS-00001", "RE2025-00001"}},
			{"Party", "acme", partners.InvoiceQuery{Party: "10001"}, []string{"GS-00001", "RE2025-00001"}},
			{"OtherParty", "acme", partners.InvoiceQuery{Party: "70001"}, nil},
			{"From", "acme", partners.InvoiceQuery{From: day("2025-03-02")}, []string{"GS-00001"}},
			{"To", "acme", partners.InvoiceQuery{To: day("2025-03-04")}, []string{"RE2025-00001"}},
			{"Both", "acme", partners.InvoiceQuery{From: day("2025-03-01"), To: day("2025-03-05")}, []string{"GS-00001", "RE2025-00001"}},
			{"OtherBook", "other", partners.InvoiceQuery{}, []string{"RE2025-00001"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
					got, err := tx.Invoices(ctx, tt.book, tt.q)
					if err != nil {
						t.Fatal(err)
					}
					var numbers []string
					for _, i := range got {
						numbers = append(numbers, i.Number)
					}
					if d := gocmp.Diff(numbers, tt.want, cmpopts.EquateEmpty()); d != "" {
						t.Errorf("Invoices (-got +want):\n%s", d)
					}
					return nil
				})
			})
		}
	})
}

func (s partSuite) testPartyVersions(t *testing.T) {
	st := s.store(t)
	// Recorded out of order: the store orders by ValidFrom, then RecordedAt.
	v1 := fullParty("acme", "10001", partners.Customer, "2025-06-01", 3)
	v2 := fullParty("acme", "10001", partners.Customer, "", 4)
	v3 := fullParty("acme", "10001", partners.Customer, "2025-06-01", 1)
	v4 := fullParty("acme", "10001", partners.Customer, "2024-01-01", 2)
	v3.Name = "Renamed"
	other := fullParty("acme", "10000", partners.Customer, "", 1)
	otherBook := fullParty("beta", "10001", partners.Customer, "", 1)
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
		for _, p := range []partners.Party{v1, v2, v3, v4, other, otherBook} {
			if err := tx.AddParty(ctx, p); err != nil {
				t.Fatalf("AddParty: %v", err)
			}
		}
		return nil
	})
	for _, p := range []*partners.Party{&v1, &v2, &v3, &v4, &other, &otherBook} {
		p.RecordedAt = stored(p.RecordedAt)
	}
	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		got, err := tx.PartyVersions(ctx, "acme", "10001")
		if err != nil {
			t.Fatal(err)
		}
		if d := gocmp.Diff(got, []partners.Party{v2, v4, v3, v1}, partCmp); d != "" {
			t.Errorf("PartyVersions (-got +want):\n%s", d)
		}
		all, err := tx.Parties(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if d := gocmp.Diff(all, []partners.Party{other, v2, v4, v3, v1}, partCmp); d != "" {
			t.Errorf("Parties (-got +want):\n%s", d)
		}
		if _, err := tx.PartyVersions(ctx, "acme", "99999"); !errors.Is(err, partners.ErrUnknownParty) {
			t.Errorf("PartyVersions of an unknown party: err = %v, want ErrUnknownParty", err)
		}
		if _, err := tx.PartyVersions(ctx, "gamma", "10001"); !errors.Is(err, partners.ErrUnknownParty) {
			t.Errorf("PartyVersions in another book: err = %v, want ErrUnknownParty", err)
		}
		return nil
	})
	partErr(t, st, "AddParty of the same number, ValidFrom and RecordedAt", partners.ErrDuplicate,
		func(ctx context.Context, tx partners.Tx) error { return tx.AddParty(ctx, v3) })
}

func (s partSuite) testNumbers(t *testing.T) {
	st := s.store(t)
	ctx := context.Background()
	draw := func(book, series string) int64 {
		t.Helper()
		var n int64
		partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
			var err error
			n, err = tx.NextNumber(ctx, book, series)
			return err
		})
		return n
	}
	var got []int64
	for _, bs := range [][2]string{{"acme", "RE"}, {"acme", "RE"}, {"acme", "ER"}, {"beta", "RE"}, {"acme", "RE"}, {"acme", ""}} {
		got = append(got, draw(bs[0], bs[1]))
	}
	if d := gocmp.Diff(got, []int64{1, 2, 1, 1, 3, 1}); d != "" {
		t.Errorf("numbers drawn (-got +want):\n%s", d)
	}

	// Two draws in one transaction, rolled back: the numbers come back.
	errBoom := errors.New("boom")
	err := st.UpdatePartners(ctx, func(tx partners.Tx) error {
		for want := int64(4); want <= 5; want++ {
			n, err := tx.NextNumber(ctx, "acme", "RE")
			if err != nil || n != want {
				t.Errorf("NextNumber in the failing transaction = %d, %v; want %d", n, err, want)
			}
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("UpdatePartners = %v, want %v", err, errBoom)
	}
	if n := draw("acme", "RE"); n != 4 {
		t.Errorf("NextNumber after a rollback = %d, want 4", n)
	}

	// Concurrent draws share out 5, 6, … without gaps or repeats.
	const workers, each = 4, 5
	var (
		mu    sync.Mutex
		drawn []int64
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				var n int64
				err := st.UpdatePartners(ctx, func(tx partners.Tx) error {
					var err error
					n, err = tx.NextNumber(ctx, "acme", "RE")
					return err
				})
				if err != nil {
					t.Errorf("concurrent NextNumber: %v", err)
					return
				}
				mu.Lock()
				drawn = append(drawn, n)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(drawn)
	var want []int64
	for n := int64(5); n < 5+workers*each; n++ {
		want = append(want, n)
	}
	if d := gocmp.Diff(drawn, want); d != "" {
		t.Errorf("concurrent numbers (-got +want):\n%s", d)
	}
}

func (s partSuite) testDuplicates(t *testing.T) {
	st := s.store(t)
	inv := fullInvoice()
	it := item("A-1", "10001", partners.Receivable, "2025-03-01", "2025-03-31", eur("10.00"))
	pay := partners.Payment{Book: "acme", Key: "bank-1", Party: "10001", Date: day("2025-03-02"), Amount: eur("1.00")}
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
		if err := tx.AddInvoice(ctx, inv); err != nil {
			return err
		}
		if err := tx.AddItem(ctx, it); err != nil {
			return err
		}
		return tx.AddPayment(ctx, pay)
	})
	sameNumber, sameKey := inv, inv
	sameNumber.Key = "order-8"
	sameKey.Number = "RE2025-00002"
	tests := []struct {
		name string
		fn   func(ctx context.Context, tx partners.Tx) error
	}{
		{"InvoiceNumber", func(ctx context.Context, tx partners.Tx) error { return tx.AddInvoice(ctx, sameNumber) }},
		{"InvoiceKey", func(ctx context.Context, tx partners.Tx) error { return tx.AddInvoice(ctx, sameKey) }},
		{"Item", func(ctx context.Context, tx partners.Tx) error { return tx.AddItem(ctx, it) }},
		{"Payment", func(ctx context.Context, tx partners.Tx) error { return tx.AddPayment(ctx, pay) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { partErr(t, st, tt.name, partners.ErrDuplicate, tt.fn) })
	}
	// A refused duplicate leaves the transaction usable.
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
		if err := tx.AddInvoice(ctx, sameKey); !errors.Is(err, partners.ErrDuplicate) {
			t.Errorf("AddInvoice of a taken key = %v, want ErrDuplicate", err)
		}
		sameKey.Key = "order-9"
		return tx.AddInvoice(ctx, sameKey)
	})
	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		got, err := tx.Invoice(ctx, "acme", "RE2025-00002")
		if err != nil || got.Key != "order-9" {
			t.Errorf("Invoice after a refused duplicate = %s, %v; want key order-9", got.Key, err)
		}
		return nil
	})
}

func (s partSuite) testNotFound(t *testing.T) {
	st := s.store(t)
	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		checks := []struct {
			name string
			err  error
		}{
			{"Invoice", second(tx.Invoice(ctx, "acme", "RE-1"))},
			{"InvoiceByKey", second(tx.InvoiceByKey(ctx, "acme", "k"))},
			{"Payment", second(tx.Payment(ctx, "acme", "k"))},
			{"Item", second(tx.Item(ctx, "acme", "I-1"))},
		}
		for _, c := range checks {
			if !errors.Is(c.err, partners.ErrNotFound) {
				t.Errorf("%s of a missing record: err = %v, want ErrNotFound", c.name, c.err)
			}
		}
		for name, n := range map[string]func() (int, error){
			"Parties":  func() (int, error) { v, err := tx.Parties(ctx, "acme"); return len(v), err },
			"Invoices": func() (int, error) { v, err := tx.Invoices(ctx, "acme", partners.InvoiceQuery{}); return len(v), err },
			"Items":    func() (int, error) { v, err := tx.Items(ctx, "acme", partners.ItemQuery{}); return len(v), err },
			"Moves":    func() (int, error) { v, err := tx.Moves(ctx, "acme", partners.MoveQuery{}); return len(v), err },
			"DunningRuns": func() (int, error) {
				v, err := tx.DunningRuns(ctx, "acme", date.Date{}, date.Date{})
				return len(v), err
			},
			"Aging": func() (int, error) {
				v, err := tx.Aging(ctx, "acme", partners.AgingQuery{Kind: partners.Receivable, AsOf: day("2025-01-01"), Limits: []int{0, 30}})
				return len(v), err
			},
		} {
			if got, err := n(); got != 0 || err != nil {
				t.Errorf("%s of an empty book = %d records, %v; want none", name, got, err)
			}
		}
		return nil
	})
	partErr(t, st, "AddMoves of a missing item", partners.ErrNotFound, func(ctx context.Context, tx partners.Tx) error {
		return tx.AddMoves(ctx, "acme", []partners.Move{{Item: "I-1", Kind: partners.PaymentMove, Date: day("2025-01-01"), Amount: eur("1.00")}})
	})
}

func second[T any](_ T, err error) error { return err }

// moveBook writes items A-1 (100.00 EUR, due 03-31) and A-2 (50.00 EUR)
// of customer 10001, and B-1 (20.00 EUR) of customer 10002, dated in March
// 2025.
func moveBook(t *testing.T, st PartnersStore) {
	t.Helper()
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
		for _, it := range []partners.Item{
			item("A-1", "10001", partners.Receivable, "2025-03-01", "2025-03-31", eur("100.00")),
			item("A-2", "10001", partners.Receivable, "2025-03-05", "2025-04-04", eur("50.00")),
			item("B-1", "10002", partners.Receivable, "2025-03-02", "2025-03-20", eur("20.00")),
		} {
			if err := tx.AddItem(ctx, it); err != nil {
				return err
			}
		}
		return nil
	})
}

func openOf(t *testing.T, st PartnersStore, ids ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		for _, id := range ids {
			it, err := tx.Item(ctx, "acme", id)
			if err != nil {
				t.Fatalf("Item(%s): %v", id, err)
			}
			out[id] = it.Open.String()
		}
		return nil
	})
	return out
}

func (s partSuite) testMoves(t *testing.T) {
	st := s.store(t)
	moveBook(t, st)
	mv := func(item, kind, d, amount string, entry uint64, ref string) partners.Move {
		return partners.Move{Book: "acme", Item: item, Kind: partners.MoveKind(kind), Date: day(d), Amount: eur(amount), Entry: entry, Ref: ref}
	}
	first := []partners.Move{
		mv("A-1", "payment", "2025-04-10", "60.00", 7, "bank-1"),
		mv("A-1", "discount", "2025-04-10", "2.00", 7, "bank-1"),
		mv("B-1", "payment", "2025-04-02", "20.00", 6, "bank-0"),
	}
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error { return tx.AddMoves(ctx, "acme", first) })
	want := map[string]string{"A-1": "38.00 EUR", "A-2": "50.00 EUR", "B-1": "0.00 EUR"}
	if d := gocmp.Diff(openOf(t, st, "A-1", "A-2", "B-1"), want); d != "" {
		t.Errorf("open after AddMoves (-got +want):\n%s", d)
	}

	refused := []struct {
		name  string
		moves []partners.Move
		want  error
	}{
		{"OneTooMuch", []partners.Move{mv("A-1", "payment", "2025-04-20", "38.01", 9, "bank-2")}, partners.ErrOverpayment},
		{"SettledItem", []partners.Move{mv("B-1", "writeoff", "2025-04-20", "0.01", 9, "wo")}, partners.ErrOverpayment},
		// Each move alone fits; together they exceed A-2, after A-1's move.
		{"Together", []partners.Move{
			mv("A-1", "payment", "2025-04-20", "1.00", 9, "bank-2"),
			mv("A-2", "payment", "2025-04-20", "30.00", 9, "bank-2"),
			mv("A-2", "payment", "2025-04-20", "30.00", 9, "bank-2"),
		}, partners.ErrOverpayment},
		{"UnknownAfterGood", []partners.Move{
			mv("A-1", "payment", "2025-04-20", "1.00", 9, "bank-2"),
			mv("Z-9", "payment", "2025-04-20", "1.00", 9, "bank-2"),
		}, partners.ErrNotFound},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			// The refused call writes nothing, and the transaction goes on.
			partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
				if err := tx.AddMoves(ctx, "acme", tt.moves); !errors.Is(err, tt.want) {
					t.Errorf("AddMoves = %v, want %v", err, tt.want)
				}
				return tx.SetSettings(ctx, partners.Settings{Book: "acme"})
			})
			if d := gocmp.Diff(openOf(t, st, "A-1", "A-2", "B-1"), want); d != "" {
				t.Errorf("open after a refused AddMoves (-got +want):\n%s", d)
			}
			partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
				ms, err := tx.Moves(ctx, "acme", partners.MoveQuery{})
				if err != nil || len(ms) != len(first) {
					t.Errorf("Moves after a refused AddMoves: %d, %v; want %d", len(ms), err, len(first))
				}
				return nil
			})
		})
	}

	second := []partners.Move{
		mv("A-2", "payment", "2025-04-01", "50.00", 5, "bank-x"),
		mv("A-1", "credit", "2025-04-10", "38.00", 6, "GS-1"),
	}
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error { return tx.AddMoves(ctx, "acme", second) })
	all := []partners.Move{second[0], first[2], second[1], first[0], first[1]} // date, entry, item, then as written
	tests := []struct {
		name string
		q    partners.MoveQuery
		want []partners.Move
	}{
		{"All", partners.MoveQuery{}, all},
		{"Item", partners.MoveQuery{Item: "A-1"}, []partners.Move{second[1], first[0], first[1]}},
		{"Party", partners.MoveQuery{Party: "10002"}, []partners.Move{first[2]}},
		{"From", partners.MoveQuery{From: day("2025-04-02")}, all[1:]},
		{"To", partners.MoveQuery{To: day("2025-04-02")}, all[:2]},
		{"PartyAndDates", partners.MoveQuery{Party: "10001", From: day("2025-04-01"), To: day("2025-04-09")}, all[:1]},
		{"None", partners.MoveQuery{Item: "A-1", To: day("2025-04-09")}, nil},
	}
	for _, tt := range tests {
		t.Run("Query"+tt.name, func(t *testing.T) {
			partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
				got, err := tx.Moves(ctx, "acme", tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if d := gocmp.Diff(got, tt.want, partCmp); d != "" {
					t.Errorf("Moves(%+v) (-got +want):\n%s", tt.q, d)
				}
				return nil
			})
		})
	}
	if d := gocmp.Diff(openOf(t, st, "A-1", "A-2", "B-1"), map[string]string{"A-1": "0.00 EUR", "A-2": "0.00 EUR", "B-1": "0.00 EUR"}); d != "" {
		t.Errorf("open after settling everything (-got +want):\n%s", d)
	}
}

func (s partSuite) testItems(t *testing.T) {
	st := s.store(t)
	moveBook(t, st)
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
		if err := tx.AddItem(ctx, item("P-1", "70001", partners.Payable, "2025-03-03", "2025-03-17", usd("80.00"))); err != nil {
			return err
		}
		if err := tx.AddItem(ctx, item("A-3", "10001", partners.Receivable, "2025-04-15", "2025-03-31", eur("7.00"))); err != nil {
			return err
		}
		return tx.AddMoves(ctx, "acme", []partners.Move{
			{Item: "A-1", Kind: partners.PaymentMove, Date: day("2025-04-10"), Amount: eur("60.00"), Entry: 7},
			{Item: "B-1", Kind: partners.PaymentMove, Date: day("2025-04-02"), Amount: eur("20.00"), Entry: 6},
			{Item: "A-1", Kind: partners.PaymentMove, Date: day("2025-04-20"), Amount: eur("40.00"), Entry: 8},
			{Item: "P-1", Kind: partners.PaymentMove, Date: day("2025-03-31"), Amount: usd("30.00"), Entry: 5},
		})
	})
	type io struct{ ID, Open string }
	tests := []struct {
		name string
		q    partners.ItemQuery
		want []io
	}{
		{"Now", partners.ItemQuery{}, []io{
			{"A-1", "0.00 EUR"}, {"A-3", "7.00 EUR"}, {"A-2", "50.00 EUR"}, {"B-1", "0.00 EUR"}, {"P-1", "50.00 USD"}}},
		{"OpenOnly", partners.ItemQuery{OpenOnly: true}, []io{{"A-3", "7.00 EUR"}, {"A-2", "50.00 EUR"}, {"P-1", "50.00 USD"}}},
		{"AsOfLatest", partners.ItemQuery{AsOf: day("2025-04-20"), OpenOnly: true}, []io{{"A-3", "7.00 EUR"}, {"A-2", "50.00 EUR"}, {"P-1", "50.00 USD"}}},
		// Before A-1's second payment; A-3 is dated later and left out.
		{"AsOfBetween", partners.ItemQuery{AsOf: day("2025-04-14")}, []io{
			{"A-1", "40.00 EUR"}, {"A-2", "50.00 EUR"}, {"B-1", "0.00 EUR"}, {"P-1", "50.00 USD"}}},
		{"AsOfMoveDay", partners.ItemQuery{AsOf: day("2025-04-10"), OpenOnly: true}, []io{{"A-1", "40.00 EUR"}, {"A-2", "50.00 EUR"}, {"P-1", "50.00 USD"}}},
		{"AsOfBeforeMoves", partners.ItemQuery{AsOf: day("2025-03-30")}, []io{
			{"A-1", "100.00 EUR"}, {"A-2", "50.00 EUR"}, {"B-1", "20.00 EUR"}, {"P-1", "80.00 USD"}}},
		// Only the items dated on or before it.
		{"AsOfEarly", partners.ItemQuery{AsOf: day("2025-03-02")}, []io{{"A-1", "100.00 EUR"}, {"B-1", "20.00 EUR"}}},
		{"AsOfBeforeAll", partners.ItemQuery{AsOf: day("2025-02-28")}, nil},
		{"Party", partners.ItemQuery{Party: "10001", AsOf: day("2025-04-14"), OpenOnly: true}, []io{{"A-1", "40.00 EUR"}, {"A-2", "50.00 EUR"}}},
		{"Kind", partners.ItemQuery{Kind: partners.Payable}, []io{{"P-1", "50.00 USD"}}},
		{"KindAsOf", partners.ItemQuery{Kind: partners.Receivable, AsOf: day("2025-04-01")}, []io{
			{"A-1", "100.00 EUR"}, {"A-2", "50.00 EUR"}, {"B-1", "20.00 EUR"}}},
		{"DueBy", partners.ItemQuery{DueBy: day("2025-03-31")}, []io{
			{"A-1", "0.00 EUR"}, {"A-3", "7.00 EUR"}, {"B-1", "0.00 EUR"}, {"P-1", "50.00 USD"}}},
		{"DueByOpenAsOf", partners.ItemQuery{DueBy: day("2025-03-20"), AsOf: day("2025-04-01"), OpenOnly: true}, []io{
			{"B-1", "20.00 EUR"}, {"P-1", "50.00 USD"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
				got, err := tx.Items(ctx, "acme", tt.q)
				if err != nil {
					t.Fatal(err)
				}
				var ios []io
				for _, it := range got {
					ios = append(ios, io{it.ID, it.Open.String()})
				}
				if d := gocmp.Diff(ios, tt.want, cmpopts.EquateEmpty()); d != "" {
					t.Errorf("Items(%+v) (-got +want):\n%s", tt.q, d)
				}
				return nil
			})
		})
	}
}

// agingRow builds an AgingRow from bucket amounts in currency c.
func agingRow(party string, c money.Currency, buckets ...string) partners.AgingRow {
	r := partners.AgingRow{Party: party, Currency: c, Total: money.Zero(c)}
	for _, b := range buckets {
		a := money.MustParse(b, c)
		r.Buckets = append(r.Buckets, a)
		r.Total, _ = r.Total.Add(a)
	}
	return r
}

func (s partSuite) testAging(t *testing.T) {
	st := s.store(t)
	asOf := day("2025-06-30")
	due := func(overdue int) string { return asOf.AddDays(-overdue).String() }
	// Customer 10001 has an item on every boundary of [0 30 60 90], in EUR
	// and in USD; 10002 has one not yet due and one settled; 10003 one
	// settled only (left out); supplier 70001 a payable (another kind).
	items := []partners.Item{
		item("E-0", "10001", partners.Receivable, "2025-01-01", due(0), eur("1.00")),
		item("E-1", "10001", partners.Receivable, "2025-01-01", due(1), eur("2.00")),
		item("E-30", "10001", partners.Receivable, "2025-01-01", due(30), eur("4.00")),
		item("E-31", "10001", partners.Receivable, "2025-01-01", due(31), eur("8.00")),
		item("E-60", "10001", partners.Receivable, "2025-01-01", due(60), eur("16.00")),
		item("E-61", "10001", partners.Receivable, "2025-01-01", due(61), eur("32.00")),
		item("E-90", "10001", partners.Receivable, "2025-01-01", due(90), eur("64.00")),
		item("E-91", "10001", partners.Receivable, "2025-01-01", due(91), eur("128.00")),
		item("E-400", "10001", partners.Receivable, "2024-01-01", due(400), eur("256.00")),
		item("U-5", "10001", partners.Receivable, "2025-01-01", due(5), usd("1000.00")),
		item("U-95", "10001", partners.Receivable, "2025-01-01", due(95), usd("3000.00")),
		item("F-1", "10002", partners.Receivable, "2025-06-20", due(-10), eur("5.55")),
		item("F-2", "10002", partners.Receivable, "2025-06-01", due(45), eur("9.99")),
		item("G-1", "10003", partners.Receivable, "2025-06-01", due(45), eur("3.00")),
		item("P-1", "70001", partners.Payable, "2025-06-01", due(20), eur("77.00")),
	}
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error {
		for _, it := range items {
			if err := tx.AddItem(ctx, it); err != nil {
				return err
			}
		}
		return tx.AddMoves(ctx, "acme", []partners.Move{
			{Item: "F-2", Kind: partners.PaymentMove, Date: day("2025-06-10"), Amount: eur("9.99")},
			// G-1 in two moves: a past day adds back both.
			{Item: "G-1", Kind: partners.PaymentMove, Date: day("2025-06-10"), Amount: eur("1.00")},
			{Item: "G-1", Kind: partners.PaymentMove, Date: day("2025-06-10"), Amount: eur("2.00")},
			{Item: "E-400", Kind: partners.PaymentMove, Date: day("2025-06-15"), Amount: eur("56.00")},
			{Item: "U-95", Kind: partners.PaymentMove, Date: day("2025-06-29"), Amount: usd("2000.00")},
		})
	})
	limits := []int{0, 30, 60, 90}
	past := day("2025-06-12") // after F-2's and G-1's payments, before E-400's, U-95's and F-1
	tests := []struct {
		name string
		q    partners.AgingQuery
		want []partners.AgingRow
	}{
		{"Today", partners.AgingQuery{Kind: partners.Receivable, AsOf: asOf, Limits: limits}, []partners.AgingRow{
			//                          ≤0     1–30    31–60   61–90   >90
			agingRow("10001", money.EUR, "1.00", "6.00", "24.00", "96.00", "328.00"),
			agingRow("10001", money.USD, "0.00", "1000.00", "0.00", "0.00", "1000.00"),
			agingRow("10002", money.EUR, "5.55", "0.00", "0.00", "0.00", "0.00"),
		}},
		{"Later", partners.AgingQuery{Kind: partners.Receivable, AsOf: asOf.AddDays(1), Limits: limits}, []partners.AgingRow{
			agingRow("10001", money.EUR, "0.00", "3.00", "12.00", "48.00", "392.00"),
			agingRow("10001", money.USD, "0.00", "1000.00", "0.00", "0.00", "1000.00"),
			agingRow("10002", money.EUR, "5.55", "0.00", "0.00", "0.00", "0.00"),
		}},
		// As of 06-12, 18 days earlier: E-400 and U-95 are unpaid, F-1 not
		// yet issued, F-2 and G-1 paid. Overdue days shift by 18: E-0 is
		// -18, E-30 12, E-31 13, E-60 42, E-61 43, E-90 72, E-91 73, U-5
		// -13, U-95 77.
		{"Past", partners.AgingQuery{Kind: partners.Receivable, AsOf: past, Limits: limits}, []partners.AgingRow{
			agingRow("10001", money.EUR, "3.00", "12.00", "48.00", "192.00", "256.00"),
			agingRow("10001", money.USD, "1000.00", "0.00", "0.00", "3000.00", "0.00"),
		}},
		{"PastBeforePayments", partners.AgingQuery{Kind: partners.Receivable, AsOf: day("2025-06-09"), Limits: []int{45}}, []partners.AgingRow{
			agingRow("10001", money.EUR, "63.00", "448.00"),
			agingRow("10001", money.USD, "1000.00", "3000.00"),
			agingRow("10002", money.EUR, "9.99", "0.00"),
			agingRow("10003", money.EUR, "3.00", "0.00"),
		}},
		{"Party", partners.AgingQuery{Kind: partners.Receivable, AsOf: asOf, Party: "10002", Limits: limits}, []partners.AgingRow{
			agingRow("10002", money.EUR, "5.55", "0.00", "0.00", "0.00", "0.00"),
		}},
		{"NoLimits", partners.AgingQuery{Kind: partners.Receivable, AsOf: asOf, Party: "10001"}, []partners.AgingRow{
			agingRow("10001", money.EUR, "455.00"),
			agingRow("10001", money.USD, "2000.00"),
		}},
		{"Payable", partners.AgingQuery{Kind: partners.Payable, AsOf: asOf, Limits: []int{0, 30}}, []partners.AgingRow{
			agingRow("70001", money.EUR, "0.00", "77.00", "0.00"),
		}},
		{"BeforeAll", partners.AgingQuery{Kind: partners.Receivable, AsOf: day("2023-12-31"), Limits: limits}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
				got, err := tx.Aging(ctx, "acme", tt.q)
				if err != nil {
					t.Fatal(err)
				}
				if d := gocmp.Diff(got, tt.want, partCmp); d != "" {
					t.Errorf("Aging (-got +want):\n%s", d)
				}
				return nil
			})
		})
	}
}

func (s partSuite) testDunning(t *testing.T) {
	st := s.store(t)
	moveBook(t, st)
	notice := func(level int, ids ...string) partners.Notice {
		n := partners.Notice{Party: "10001", Level: level, Currency: money.EUR}
		for _, id := range ids {
			n.Items = append(n.Items, partners.NoticeItem{Item: id, Level: level})
		}
		return n
	}
	run := func(d string, ns ...partners.Notice) partners.DunningRun {
		return partners.DunningRun{Book: "acme", Date: day(d), Notices: ns}
	}
	levels := func() map[string]string {
		out := map[string]string{}
		partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
			its, err := tx.Items(ctx, "acme", partners.ItemQuery{})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range its {
				out[it.ID] = fmt.Sprintf("%d %s", it.DunningLevel, it.LastDunned)
			}
			return nil
		})
		return out
	}
	r1 := run("2025-04-10", notice(1, "A-1"), partners.Notice{Party: "10002", Level: 2,
		Items: []partners.NoticeItem{{Item: "B-1", Level: 2}}})
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error { return tx.AddDunningRun(ctx, r1) })
	want := map[string]string{"A-1": "1 2025-04-10", "A-2": "0 ", "B-1": "2 2025-04-10"}
	if d := gocmp.Diff(levels(), want); d != "" {
		t.Errorf("levels after the first run (-got +want):\n%s", d)
	}
	partErr(t, st, "a second run on the same date", partners.ErrDuplicate, func(ctx context.Context, tx partners.Tx) error {
		return tx.AddDunningRun(ctx, run("2025-04-10", notice(3, "A-2")))
	})
	partErr(t, st, "a run noticing an unknown item", partners.ErrNotFound, func(ctx context.Context, tx partners.Tx) error {
		return tx.AddDunningRun(ctx, run("2025-04-12", notice(2, "A-1", "Z-9")))
	})
	if d := gocmp.Diff(levels(), want); d != "" {
		t.Errorf("levels after refused runs (-got +want):\n%s", d)
	}
	// A later run raises; a lower level never lowers B-1.
	r2 := run("2025-04-20", notice(2, "A-1", "A-2"), partners.Notice{Party: "10002", Level: 1,
		Items: []partners.NoticeItem{{Item: "B-1", Level: 1}}})
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error { return tx.AddDunningRun(ctx, r2) })
	want = map[string]string{"A-1": "2 2025-04-20", "A-2": "2 2025-04-20", "B-1": "2 2025-04-10"}
	if d := gocmp.Diff(levels(), want); d != "" {
		t.Errorf("levels after the second run (-got +want):\n%s", d)
	}
	// Written out of order, returned by date, and within bounds.
	r0 := run("2025-04-01")
	partUpdate(t, st, func(ctx context.Context, tx partners.Tx) error { return tx.AddDunningRun(ctx, r0) })
	tests := []struct {
		name     string
		from, to date.Date
		want     []partners.DunningRun
	}{
		{"All", date.Date{}, date.Date{}, []partners.DunningRun{r0, r1, r2}},
		{"From", day("2025-04-10"), date.Date{}, []partners.DunningRun{r1, r2}},
		{"To", date.Date{}, day("2025-04-19"), []partners.DunningRun{r0, r1}},
		{"Day", day("2025-04-20"), day("2025-04-20"), []partners.DunningRun{r2}},
		{"None", day("2025-04-11"), day("2025-04-19"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
				got, err := tx.DunningRuns(ctx, "acme", tt.from, tt.to)
				if err != nil {
					t.Fatal(err)
				}
				if d := gocmp.Diff(got, tt.want, partCmp); d != "" {
					t.Errorf("DunningRuns (-got +want):\n%s", d)
				}
				return nil
			})
		})
	}
}

func (s partSuite) testAtomicity(t *testing.T) {
	st := s.store(t)
	ctx := context.Background()
	led := ledger.New(st, nil)
	if err := led.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := led.CreateAccounts(ctx,
		ledger.Account{Book: "acme", Code: "1400", Name: "Receivables", Type: ledger.Asset},
		ledger.Account{Book: "acme", Code: "8400", Name: "Revenue", Type: ledger.Revenue},
	); err != nil {
		t.Fatal(err)
	}
	entry := ledger.Entry{Book: "acme", Key: "inv/1", Date: day("2025-03-01"), Description: "invoice",
		Lines: []ledger.Line{ledger.Debit("1400", eur("119.00")), ledger.Credit("8400", eur("119.00"))}}
	inv := fullInvoice()
	it := item(inv.Number, "10001", partners.Receivable, "2025-03-01", "2025-03-31", eur("119.00"))
	// write posts the invoice's entry through Tx.Ledger and writes every
	// kind of record.
	write := func(ctx context.Context, tx partners.Tx) error {
		n, err := tx.NextNumber(ctx, "acme", "RE2025-")
		if err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("NextNumber = %d, want 1", n)
		}
		p, err := ledger.New(tx.Ledger(), nil).Post(ctx, entry)
		if err != nil {
			return err
		}
		inv.Entry, it.Entry = p.Seq, p.Seq
		steps := []error{
			tx.AddParty(ctx, fullParty("acme", "10001", partners.Customer, "", 1)),
			tx.SetSettings(ctx, partners.Settings{Book: "acme", LineRounding: true}),
			tx.AddInvoice(ctx, inv),
			tx.AddItem(ctx, it),
			tx.AddMoves(ctx, "acme", []partners.Move{{Item: it.ID, Kind: partners.PaymentMove, Date: day("2025-03-05"), Amount: eur("19.00")}}),
			tx.AddPayment(ctx, partners.Payment{Book: "acme", Key: "bank-1", Party: "10001", Date: day("2025-03-05"), Amount: eur("19.00")}),
			tx.AddDunningRun(ctx, partners.DunningRun{Book: "acme", Date: day("2025-04-15"),
				Notices: []partners.Notice{{Party: "10001", Level: 1, Items: []partners.NoticeItem{{Item: it.ID, Level: 1}}}}}),
		}
		return errors.Join(steps...)
	}
	errBoom := errors.New("boom")
	err := st.UpdatePartners(ctx, func(tx partners.Tx) error {
		if err := write(ctx, tx); err != nil {
			t.Fatalf("writes in the failing transaction: %v", err)
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("UpdatePartners = %v, want %v", err, errBoom)
	}
	if _, err := led.EntryByKey(ctx, "acme", "inv/1"); !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("entry posted through Tx.Ledger of a failed transaction: err = %v, want ErrNotFound", err)
	}
	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		if ps, err := tx.Parties(ctx, "acme"); len(ps) != 0 || err != nil {
			t.Errorf("Parties after rollback: %d, %v", len(ps), err)
		}
		if set, err := tx.Settings(ctx, "acme"); set.LineRounding || err != nil {
			t.Errorf("Settings after rollback: %+v, %v", set, err)
		}
		for name, err := range map[string]error{
			"Invoice": second(tx.Invoice(ctx, "acme", inv.Number)),
			"Item":    second(tx.Item(ctx, "acme", it.ID)),
			"Payment": second(tx.Payment(ctx, "acme", "bank-1")),
		} {
			if !errors.Is(err, partners.ErrNotFound) {
				t.Errorf("%s after rollback: err = %v, want ErrNotFound", name, err)
			}
		}
		if ms, err := tx.Moves(ctx, "acme", partners.MoveQuery{}); len(ms) != 0 || err != nil {
			t.Errorf("Moves after rollback: %d, %v", len(ms), err)
		}
		if rs, err := tx.DunningRuns(ctx, "acme", date.Date{}, date.Date{}); len(rs) != 0 || err != nil {
			t.Errorf("DunningRuns after rollback: %d, %v", len(rs), err)
		}
		return nil
	})
	// The same writes commit, the number included.
	partUpdate(t, st, write)
	p, err := led.EntryByKey(ctx, "acme", "inv/1")
	if err != nil {
		t.Fatalf("entry posted through Tx.Ledger: %v", err)
	}
	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		got, err := tx.Item(ctx, "acme", it.ID)
		if err != nil || got.Entry != p.Seq || got.Open != eur("100.00") || got.DunningLevel != 1 {
			t.Errorf("Item after commit = entry %d, open %s, level %d, %v; want entry %d, 100.00 EUR, level 1",
				got.Entry, got.Open, got.DunningLevel, err, p.Seq)
		}
		return nil
	})
}

func (s partSuite) testReadOnly(t *testing.T) {
	st := s.store(t)
	moveBook(t, st)
	ctx := context.Background()
	writes := []struct {
		name string
		fn   func(tx partners.Tx) error
	}{
		{"AddParty", func(tx partners.Tx) error {
			return tx.AddParty(ctx, fullParty("acme", "10001", partners.Customer, "", 1))
		}},
		{"SetSettings", func(tx partners.Tx) error {
			return tx.SetSettings(ctx, partners.Settings{Book: "acme", LineRounding: true})
		}},
		{"NextNumber", func(tx partners.Tx) error { return second(tx.NextNumber(ctx, "acme", "RE")) }},
		{"AddInvoice", func(tx partners.Tx) error { return tx.AddInvoice(ctx, fullInvoice()) }},
		{"AddItem", func(tx partners.Tx) error {
			return tx.AddItem(ctx, item("X-1", "10001", partners.Receivable, "2025-03-01", "2025-03-31", eur("1.00")))
		}},
		{"AddMoves", func(tx partners.Tx) error {
			return tx.AddMoves(ctx, "acme", []partners.Move{{Item: "A-1", Kind: partners.PaymentMove, Date: day("2025-04-01"), Amount: eur("1.00")}})
		}},
		{"AddPayment", func(tx partners.Tx) error {
			return tx.AddPayment(ctx, partners.Payment{Book: "acme", Key: "k", Date: day("2025-04-01"), Amount: eur("1.00")})
		}},
		{"AddDunningRun", func(tx partners.Tx) error {
			return tx.AddDunningRun(ctx, partners.DunningRun{Book: "acme", Date: day("2025-04-01")})
		}},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			err := st.ViewPartners(ctx, func(rtx partners.ReadTx) error {
				tx, ok := rtx.(partners.Tx)
				if !ok {
					return nil // nothing to reach
				}
				return w.fn(tx)
			})
			if !errors.Is(err, partners.ErrReadOnly) {
				t.Errorf("%s inside ViewPartners: err = %v, want ErrReadOnly", w.name, err)
			}
		})
	}
	if d := gocmp.Diff(openOf(t, st, "A-1"), map[string]string{"A-1": "100.00 EUR"}); d != "" {
		t.Errorf("open after refused writes (-got +want):\n%s", d)
	}
	partView(t, st, func(ctx context.Context, tx partners.ReadTx) error {
		for name, n := range map[string]func() (int, error){
			"Parties":  func() (int, error) { v, err := tx.Parties(ctx, "acme"); return len(v), err },
			"Invoices": func() (int, error) { v, err := tx.Invoices(ctx, "acme", partners.InvoiceQuery{}); return len(v), err },
			"Items":    func() (int, error) { v, err := tx.Items(ctx, "acme", partners.ItemQuery{}); return len(v), err },
			"DunningRuns": func() (int, error) {
				v, err := tx.DunningRuns(ctx, "acme", date.Date{}, date.Date{})
				return len(v), err
			},
		} {
			want := 0
			if name == "Items" {
				want = 3
			}
			if got, err := n(); got != want || err != nil {
				t.Errorf("%s after refused writes = %d, %v; want %d", name, got, err, want)
			}
		}
		return nil
	})
}
