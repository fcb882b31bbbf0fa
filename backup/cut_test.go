package backup

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/payroll"
)

// TestRunAsOf takes back, step by step, what a pay run did after the cut.
func TestRunAsOf(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2025, 7, 1, h, 0, 0, 0, time.UTC) }
	paid := payroll.Run{ID: "2025-06", Status: payroll.Paid, Calculation: 1, Basis: 5, PostSeq: 6, Entry: 40, PaymentEntry: 41,
		BankAccount: "1200", PaymentDate: date.MustParse("2025-06-30"),
		CreatedAt: at(1), CalculatedAt: at(2), ApprovedAt: at(3), PostedAt: at(4), PaidAt: at(5)}
	for _, tc := range []struct {
		name string
		cut  int    // hour of the cut
		n    uint64 // last entry kept
		want payroll.Run
		kept bool
	}{
		{"after everything", 6, 41, paid, true},
		{"before the payment", 4, 40, payroll.Run{ID: "2025-06", Status: payroll.Posted, Calculation: 1, Basis: 5, PostSeq: 6, Entry: 40,
			CreatedAt: at(1), CalculatedAt: at(2), ApprovedAt: at(3), PostedAt: at(4)}, true},
		{"before the posting", 3, 39, payroll.Run{ID: "2025-06", Status: payroll.Approved, Calculation: 1, Basis: 5,
			CreatedAt: at(1), CalculatedAt: at(2), ApprovedAt: at(3)}, true},
		{"before the approval", 2, 39, payroll.Run{ID: "2025-06", Status: payroll.Calculated, Calculation: 1, Basis: 5,
			CreatedAt: at(1), CalculatedAt: at(2)}, true},
		{"before the calculation", 1, 39, payroll.Run{ID: "2025-06", Status: payroll.Draft, CreatedAt: at(1)}, true},
		{"before the run", 0, 39, payroll.Run{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := func(x time.Time) bool { return !x.IsZero() && x.After(at(tc.cut)) }
			got, kept, err := runAsOf("acme", paid, tc.n, after)
			if err != nil {
				t.Fatal(err)
			}
			if kept != tc.kept {
				t.Fatalf("kept = %v, want %v", kept, tc.kept)
			}
			if kept {
				if diff := cmp.Diff(got, tc.want, cmp.Comparer(func(a, b date.Date) bool { return a == b })); diff != "" {
					t.Errorf("run (-got +want):\n%s", diff)
				}
			}
		})
	}
	// Calculated again after the cut: not exact.
	again := paid
	again.Calculation = 2
	_, _, err := runAsOf("acme", again, 39, func(x time.Time) bool { return !x.IsZero() && x.After(at(1)) })
	var ce *CutError
	if !errors.As(err, &ce) || !errors.Is(err, ErrPointInTime) || ce.Record != "pay run 2025-06" {
		t.Errorf("got %v, want a *CutError for pay run 2025-06", err)
	}
}

func TestParseTime(t *testing.T) {
	berlin := time.FixedZone("CEST", 2*3600)
	for _, tc := range []struct {
		in   string
		want time.Time
		err  bool
	}{
		{in: "2025-06-30T18:00", want: time.Date(2025, 6, 30, 18, 0, 0, 0, berlin)},
		{in: "2025-06-30 18:00:05.25", want: time.Date(2025, 6, 30, 18, 0, 5, 250e6, berlin)},
		{in: "2025-06-30T18:00Z", want: time.Date(2025, 6, 30, 18, 0, 0, 0, time.UTC)},
		{in: "2025-06-30T18:00:00+01:00", want: time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC)},
		{in: "2025-06-30", err: true},
		{in: "yesterday", err: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTime(tc.in, berlin)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if !tc.err && !got.Equal(tc.want) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
