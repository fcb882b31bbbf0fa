package storetest

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
)

func (s suite) testRoundTrip(t *testing.T) {
	t.Run("Books", s.testRoundTripBooks)
	t.Run("Accounts", s.testRoundTripAccounts)
	t.Run("Entries", s.testRoundTripEntries)
	t.Run("ExtremeAmounts", s.testExtremeAmounts)
}

func (s suite) testRoundTripBooks(t *testing.T) {
	e := s.env(t)
	// Created in reverse ID order: Books must sort them.
	b2 := ledger.Book{ID: "RT-2", Name: "Rückwärts GmbH & Co. KG", Currency: money.CHF, FiscalYearStart: 7}
	b1 := ledger.Book{ID: "RT-1", Name: "Round Trip AG", Currency: money.EUR, FiscalYearStart: 1}
	for _, b := range []ledger.Book{b2, b1} {
		if err := e.l.CreateBook(e.ctx, b); err != nil {
			t.Fatalf("CreateBook(%s): %v", b.ID, err)
		}
	}
	if err := e.l.SetLockDate(e.ctx, "RT-2", day("2026-06-30")); err != nil {
		t.Fatal(err)
	}
	if err := e.l.SetLockDate(e.ctx, "RT-2", day("2026-09-30")); err != nil {
		t.Fatal(err)
	}
	// The lock date only moves forward.
	wantErr(t, "SetLockDate earlier", e.l.SetLockDate(e.ctx, "RT-2", day("2026-09-29")), ledger.ErrState)

	b2.LockDate = day("2026-09-30")
	got, err := e.l.Book(e.ctx, "RT-2")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, b2, cmpOpts); diff != "" {
		t.Errorf("Book(RT-2) (-got +want):\n%s", diff)
	}
	all, err := e.l.Books(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(all, []ledger.Book{b1, b2}, cmpOpts); diff != "" {
		t.Errorf("Books (-got +want):\n%s", diff)
	}
	_, err = e.l.Book(e.ctx, "RT-3")
	wantErr(t, "Book(RT-3)", err, ledger.ErrUnknownBook)
}

func (s suite) testRoundTripAccounts(t *testing.T) {
	e := s.env(t)
	e.book("RT")
	as := []ledger.Account{
		{Book: "RT", Code: "1000", Name: "Anlagevermögen", Type: ledger.Asset,
			Metadata: map[string]string{"hgb": "A.II", "note": "ä ö ü – 😀"}},
		{Book: "RT", Code: "1200", Name: "Bank", Type: ledger.Asset, Parent: "1000",
			Currency: money.EUR, Constraint: ledger.NonNegative()},
		{Book: "RT", Code: "1210", Name: "Credit line", Type: ledger.Asset, Parent: "1000",
			Constraint: ledger.Between(decimal.RequireFromString("-25000.50"), decimal.RequireFromString("99999999999999.99"))},
		{Book: "RT", Code: "1220", Name: "Bonus points", Type: ledger.Asset, Parent: "1210",
			Currency: pts, Constraint: ledger.Constraint{Max: decimal.NewNullDecimal(decimal.RequireFromString("0.0001"))}},
		{Book: "RT", Code: "1600", Name: "Payables", Type: ledger.Liability, Constraint: ledger.NonPositive()},
		{Book: "RT", Code: "1800", Name: "Old capital", Type: ledger.Equity, Closed: true},
		{Book: "RT", Code: "4000", Name: "Revenue", Type: ledger.Revenue, Currency: money.JPY},
		{Book: "RT", Code: "6000", Name: "Expenses", Type: ledger.Expense},
	}
	// Created children first in the argument list would fail: parents must
	// come first, so create in order.
	e.accounts(as...)

	for _, want := range as {
		got, err := e.l.Account(e.ctx, "RT", want.Code)
		if err != nil {
			t.Errorf("Account(%s): %v", want.Code, err)
			continue
		}
		if diff := cmp.Diff(got, want, cmpOpts); diff != "" {
			t.Errorf("Account(%s) (-got +want):\n%s", want.Code, diff)
		}
	}
	got, err := e.l.Accounts(e.ctx, "RT")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, as, cmpOpts); diff != "" {
		t.Errorf("Accounts (-got +want):\n%s", diff)
	}

	// Closing and reopening changes Closed and nothing else.
	if err := e.l.CloseAccount(e.ctx, "RT", "1200"); err != nil {
		t.Fatal(err)
	}
	closed := as[1]
	closed.Closed = true
	if got, err := e.l.Account(e.ctx, "RT", "1200"); err != nil || !cmp.Equal(got, closed, cmpOpts) {
		t.Errorf("after CloseAccount: Account(1200) = %+v, %v; want %+v", got, err, closed)
	}
	if err := e.l.ReopenAccount(e.ctx, "RT", "1200"); err != nil {
		t.Fatal(err)
	}
	if got, err := e.l.Account(e.ctx, "RT", "1200"); err != nil || !cmp.Equal(got, as[1], cmpOpts) {
		t.Errorf("after ReopenAccount: Account(1200) = %+v, %v; want %+v", got, err, as[1])
	}
	_, err = e.l.Account(e.ctx, "RT", "9999")
	wantErr(t, "Account(9999)", err, ledger.ErrUnknownAccount)
}

func (s suite) testRoundTripEntries(t *testing.T) {
	e := s.env(t)
	e.book("RT")
	e.accounts(
		acct("RT", "1200", "Bank", ledger.Asset),
		acct("RT", "1400", "Receivables", ledger.Asset),
		acct("RT", "1600", "VAT payable", ledger.Liability),
		acct("RT", "3000", "Capital", ledger.Equity),
		acct("RT", "4000", "Revenue", ledger.Revenue),
	)
	entries := []ledger.Entry{
		{
			Book: "RT", Key: "open", Date: day("2026-01-02"), Description: "Opening capital",
			Journal: ledger.JournalGeneral,
			Lines:   []ledger.Line{ledger.Debit("1200", eur("25000.00")), ledger.Credit("3000", eur("25000.00"))},
		},
		{
			Book: "RT", Key: "inv/2026/0042", Date: day("2026-03-14"),
			Description: "Rechnung 42 – Müller & Söhne «Café» 😀", Voucher: "RE-42", Journal: "AR",
			Adjusts:  1,
			Metadata: map[string]string{"source": "import", "row": "17", "empty": ""},
			Lines: []ledger.Line{
				{Account: "1400", Amount: eur("1190.00"), Memo: "gross", Dimensions: map[string]string{"cc": "CC-10", "project": "P-7"}},
				{Account: "4000", Amount: eur("-1000.00"), Memo: "net", Dimensions: map[string]string{"cc": "CC-10"}},
				{Account: "1600", Amount: eur("-190.00"), Memo: "VAT 19 %"},
			},
		},
		{
			Book: "RT", Key: "storno/42", Date: day("2026-03-31"), Description: "Storno RE-42",
			Voucher: "RE-42", Journal: "AR", Reverses: 2,
			Lines: []ledger.Line{
				{Account: "1400", Amount: eur("-1190.00"), Memo: "gross", Dimensions: map[string]string{"cc": "CC-10", "project": "P-7"}},
				{Account: "4000", Amount: eur("1000.00"), Memo: "net", Dimensions: map[string]string{"cc": "CC-10"}},
				{Account: "1600", Amount: eur("190.00"), Memo: "VAT 19 %"},
			},
		},
		{
			// No key, three currencies.
			Book: "RT", Date: day("2026-12-31"), Description: "FX and points", Journal: "FX",
			Lines: []ledger.Line{
				ledger.Debit("1200", usd("10.01")), ledger.Credit("3000", usd("10.01")),
				ledger.Debit("1200", money.New(1, pts)), ledger.Credit("3000", money.New(1, pts)),
				ledger.Debit("1200", eur("0.01")), ledger.Credit("3000", eur("0.01")),
			},
		},
	}
	// Each entry is recorded at its own instant: t0, t0+1s, t0+2s, t0+3s.
	var posted []ledger.Posted
	for i, en := range entries {
		e.clock.Set(t0.Add(time.Duration(i) * time.Second))
		posted = append(posted, e.post(en))
	}

	// What Post returned is the entry as given, numbered from 1, recorded
	// at the clock's time in UTC to the microsecond.
	for i, p := range posted {
		want := ledger.Posted{Entry: entries[i], Seq: uint64(i + 1), RecordedAt: t0Recorded.Add(time.Duration(i) * time.Second)}
		if diff := cmp.Diff(p, want, cmpOpts, cmpopts.IgnoreFields(ledger.Posted{}, "Digest", "Hash")); diff != "" {
			t.Errorf("Post #%d (-got +want):\n%s", i, diff)
		}
		if p.RecordedAt.Location() != time.UTC {
			t.Errorf("Post #%d: RecordedAt in %v, want UTC", i, p.RecordedAt.Location())
		}
		if p.Digest == ([32]byte{}) || p.Hash == ([32]byte{}) {
			t.Errorf("Post #%d: zero Digest or Hash", i)
		}
		if i > 0 && p.Hash == posted[i-1].Hash {
			t.Errorf("Post #%d: same Hash as its predecessor", i)
		}
	}

	check := func(how string, got []ledger.Posted) {
		t.Helper()
		if diff := cmp.Diff(got, posted, cmpOpts); diff != "" {
			t.Errorf("%s (-got +want):\n%s", how, diff)
		}
		for _, p := range got {
			if p.RecordedAt.Location() != time.UTC {
				t.Errorf("%s: entry %d: RecordedAt in %v, want UTC", how, p.Seq, p.RecordedAt.Location())
			}
		}
	}
	var bySeq, byKey []ledger.Posted
	for _, p := range posted {
		got, err := e.l.Entry(e.ctx, "RT", p.Seq)
		if err != nil {
			t.Fatalf("Entry(%d): %v", p.Seq, err)
		}
		bySeq = append(bySeq, got)
		if p.Key == "" {
			byKey = append(byKey, got)
			continue
		}
		got, err = e.l.EntryByKey(e.ctx, "RT", p.Key)
		if err != nil {
			t.Fatalf("EntryByKey(%s): %v", p.Key, err)
		}
		byKey = append(byKey, got)
	}
	check("Entry", bySeq)
	check("EntryByKey", byKey)
	check("Entries", e.allEntries("RT"))
	check("Scan", e.snapshot("RT").Entries)

	_, err := e.l.Entry(e.ctx, "RT", 5)
	wantErr(t, "Entry(5)", err, ledger.ErrNotFound)
	_, err = e.l.EntryByKey(e.ctx, "RT", "inv/2026/0043")
	wantErr(t, "EntryByKey(unknown)", err, ledger.ErrNotFound)

	// Changing what Post was given or returned changes nothing stored.
	entries[1].Lines[0].Dimensions["cc"] = "CC-99"
	entries[1].Metadata["source"] = "changed"
	posted[2].Lines[0].Memo = "changed"
	posted[2].Metadata = map[string]string{"x": "y"}
	got, err := e.l.Entry(e.ctx, "RT", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Lines[0].Dimensions["cc"] != "CC-10" || got.Metadata["source"] != "import" {
		t.Errorf("entry 2 changed with the caller's maps: %+v", got)
	}
	got, err = e.l.Entry(e.ctx, "RT", 3)
	if err != nil {
		t.Fatal(err)
	}
	if got.Lines[0].Memo != "gross" || len(got.Metadata) != 0 {
		t.Errorf("entry 3 changed with the returned value: %+v", got)
	}
	e.verify("RT")
}

// testExtremeAmounts posts the largest amounts an entry can hold, in
// currencies with 2, 0, 3 and 4 minor units, and one minor unit more.
func (s suite) testExtremeAmounts(t *testing.T) {
	e := s.env(t)
	e.book("X")
	e.accounts(acct("X", "1000", "Vault", ledger.Asset), acct("X", "2000", "Capital", ledger.Equity),
		acct("X", "3000", "Other", ledger.Asset))

	// math.MaxInt64 = 9223372036854775807 minor units, written out by hand
	// with each currency's decimal places.
	max := []money.Amount{
		money.MustParse("92233720368547758.07", money.EUR), // 2 decimals
		money.MustParse("9223372036854775807", money.JPY),  // 0 decimals
		money.MustParse("9223372036854775.807", money.BHD), // 3 decimals
		money.MustParse("922337203685477.5807", money.CLF), // 4 decimals
	}
	var lines []ledger.Line
	for _, a := range max {
		if a.MinorUnits() != math.MaxInt64 {
			t.Fatalf("%v is %d minor units, want MaxInt64", a, a.MinorUnits())
		}
		lines = append(lines, ledger.Debit("1000", a), ledger.Credit("2000", a))
	}
	p := e.post(ledger.Entry{Book: "X", Key: "max", Date: day("2026-05-31"), Lines: lines})
	got, err := e.l.Entry(e.ctx, "X", p.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, p, cmpOpts); diff != "" {
		t.Errorf("Entry (-got +want):\n%s", diff)
	}

	// Balance sorts by currency code: BHD, CLF, EUR, JPY.
	wantBal := ledger.Balance{max[2], max[3], max[0], max[1]}
	bal, err := e.l.Balance(e.ctx, "X", "1000", day("2026-05-31"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(bal, wantBal, cmpOpts); diff != "" {
		t.Errorf("Balance(1000) (-got +want):\n%s", diff)
	}
	var wantNeg ledger.Balance
	for _, a := range wantBal {
		wantNeg = append(wantNeg, a.Neg())
	}
	bal, err = e.l.Balance(e.ctx, "X", "2000", day("2026-05-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bal) != 0 {
		t.Errorf("Balance(2000) as of 2026-05-30 = %v, want 0", bal)
	}
	bal, err = e.l.Balance(e.ctx, "X", "2000", day("9999-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(bal, wantNeg, cmpOpts); diff != "" {
		t.Errorf("Balance(2000) (-got +want):\n%s", diff)
	}
	e.verify("X")

	// One more minor unit on either account leaves the range.
	before := e.snapshot("X")
	for _, c := range []money.Currency{money.EUR, money.JPY, money.BHD, money.CLF} {
		_, err := e.l.Post(e.ctx, ledger.Entry{Book: "X", Date: day("2026-06-01"), Lines: []ledger.Line{
			ledger.Debit("1000", money.New(1, c)), ledger.Credit("2000", money.New(1, c)),
		}})
		if !errors.Is(err, ledger.ErrOverflow) {
			t.Errorf("posting 1 minor unit of %s more: %v, want ErrOverflow", c, err)
		}
		// Crediting 2000 alone would reach math.MinInt64, which fits an
		// int64 but no Amount (they are symmetric, ±MaxInt64).
		_, err = e.l.Post(e.ctx, ledger.Entry{Book: "X", Date: day("2026-06-01"), Lines: []ledger.Line{
			ledger.Debit("3000", money.New(1, c)), ledger.Credit("2000", money.New(1, c)),
		}})
		if !errors.Is(err, ledger.ErrOverflow) {
			t.Errorf("crediting 1 minor unit of %s to -MaxInt64: %v, want ErrOverflow", c, err)
		}
	}
	e.unchanged("X", before)
}
