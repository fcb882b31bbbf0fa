package backup_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/backup"
	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/fx"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/money"
	"github.com/openbackoffice/backoffice/store/memory"
	"github.com/openbackoffice/backoffice/store/sqlite"
)

func eur(s string) money.Amount { return money.MustParse(s, money.EUR) }

// fill creates book "acme" with a chart, entries, a closed month and a lock date.
func fill(t *testing.T, s ledger.Store) *ledger.Ledger {
	t.Helper()
	ctx := context.Background()
	l := ledger.New(s, nil)
	if err := l.CreateBook(ctx, ledger.Book{ID: "acme", Name: "ACME", Currency: money.EUR}); err != nil {
		t.Fatal(err)
	}
	if err := l.CreateAccounts(ctx, ledger.SKR03("acme")...); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 30; i++ {
		_, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: fmt.Sprintf("inv/%d", i), Date: date.MustParse("2025-01-15").AddDays(i),
			Description: "Rechnung", Metadata: map[string]string{"n": fmt.Sprint(i)},
			Lines: []ledger.Line{
				{Account: "1200", Amount: eur("119.01"), Dimensions: map[string]string{"cost_centre": "CC-1"}},
				ledger.Credit("8400", eur("100.01")),
				ledger.Credit("1776", eur("19.00")),
			}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := l.ClosePeriod(ctx, "acme", 2025, 1); err != nil {
		t.Fatal(err)
	}
	if err := l.SetLockDate(ctx, "acme", date.MustParse("2025-01-31")); err != nil {
		t.Fatal(err)
	}
	return l
}

func write(t *testing.T, s backup.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := backup.Write(context.Background(), &buf, s, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(t *testing.T, b []byte) *backup.Archive {
	t.Helper()
	a, err := backup.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func newSQLite(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func trial(t *testing.T, s ledger.Store) string {
	t.Helper()
	rows, err := ledger.New(s, nil).Balances(context.Background(), "acme", ledger.BalanceQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%+v\n", r)
	}
	return b.String()
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := memory.New()
	fill(t, src)
	rates := []fx.Rate{
		{Date: date.MustParse("2025-01-02"), From: money.EUR, To: money.USD, Rate: decimal.RequireFromString("1.0350"), Source: "ECB"},
		{Date: date.MustParse("2025-01-03"), From: money.EUR, To: money.USD, Rate: decimal.RequireFromString("1.0323"), Source: "ECB"},
	}
	if _, err := src.PutRates(ctx, "acme", rates[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := src.PutRates(ctx, "", rates[1:]); err != nil { // shared: restored as the book's own
		t.Fatal(err)
	}
	arch := write(t, src)

	lite := newSQLite(t)
	if err := backup.Restore(ctx, lite, open(t, arch), nil); err != nil {
		t.Fatal(err)
	}
	back := memory.New()
	arch2 := write(t, lite)
	if err := backup.Restore(ctx, back, open(t, arch2), nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(trial(t, back), trial(t, src)); diff != "" {
		t.Errorf("trial balance (-got +want):\n%s", diff)
	}
	got, err := back.Rates(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fmt.Sprint(got), fmt.Sprint(rates)); diff != "" {
		t.Errorf("rates (-got +want):\n%s", diff)
	}
	m1, m2 := open(t, arch).Manifest, open(t, arch2).Manifest
	if diff := cmp.Diff(m2.Members, m1.Members); diff != "" {
		t.Errorf("members of memory and SQLite archives differ (-sqlite +memory):\n%s", diff)
	}
	if m2.Consistency != "snapshot" || m1.Consistency != "per-domain" {
		t.Errorf("consistency %q, %q", m1.Consistency, m2.Consistency)
	}
	// The restored book goes on: its next entry continues the chain.
	l := ledger.New(back, nil)
	if _, err := l.Post(ctx, ledger.Entry{Book: "acme", Date: date.MustParse("2025-03-01"),
		Lines: []ledger.Line{ledger.Debit("1200", eur("1.00")), ledger.Credit("8400", eur("1.00"))}}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Verify(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	// A second restore into the same store is refused.
	if err := backup.Restore(ctx, lite, open(t, arch), nil); !errors.Is(err, ledger.ErrDuplicate) {
		t.Errorf("restore over an existing book: %v, want ErrDuplicate", err)
	}
}

// rezip rewrites an archive, changing member name's content with f.
func rezip(t *testing.T, arch []byte, name string, f func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(arch), int64(len(arch)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if zf.Name == name {
			b = f(b)
			if b == nil {
				continue
			}
		}
		w, _ := zw.Create(zf.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}

func TestTampered(t *testing.T) {
	src := memory.New()
	fill(t, src)
	arch := write(t, src)
	const entries = "books/acme/entries.jsonl"
	for _, tc := range []struct {
		name, member string
		f            func([]byte) []byte
		want         string
	}{
		{"amount changed", entries, func(b []byte) []byte { return bytes.Replace(b, []byte(`"119.01"`), []byte(`"119.02"`), 1) }, "entries.jsonl line 1"},
		{"flipped byte", "books/acme/accounts.jsonl", func(b []byte) []byte { b = bytes.Clone(b); b[10] ^= 1; return b }, "accounts.jsonl"},
		{"line dropped", entries, func(b []byte) []byte { i := bytes.IndexByte(b, '\n'); return b[i+1:] }, "entries.jsonl line 1"},
		{"truncated", entries, func(b []byte) []byte { return b[:len(b)-7] }, "truncated"},
		{"member missing", "books/acme/periods.jsonl", func([]byte) []byte { return nil }, "periods.jsonl: missing"},
		{"state changed", "books/acme/state.jsonl", func(b []byte) []byte { return bytes.Replace(b, []byte(`"seq":2`), []byte(`"seq":3`), 1) }, "state.jsonl line 2"},
		{"trial balance changed", "manifest.json", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"amount": "3570.30"`), []byte(`"amount": "3570.31"`), 1)
		}, "account 1200 (EUR): the balance differs"},
		{"newer version", "manifest.json", func(b []byte) []byte {
			return bytes.Replace(b, fmt.Appendf(nil, `"version": %d`, backup.FormatVersion), fmt.Appendf(nil, `"version": %d`, backup.FormatVersion+1), 1)
		}, fmt.Sprintf("version %d", backup.FormatVersion+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := rezip(t, arch, tc.member, tc.f)
			target := newSQLite(t)
			err := func() error {
				a, err := backup.Open(bytes.NewReader(bad), int64(len(bad)))
				if err != nil {
					return err
				}
				if err := a.Verify(nil); err == nil {
					t.Error("Verify passed")
				}
				return backup.Restore(context.Background(), target, a, nil)
			}()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if !errors.Is(err, backup.ErrCorrupt) && !errors.Is(err, backup.ErrVersion) {
				t.Errorf("%v wraps neither ErrCorrupt nor ErrVersion", err)
			}
			books, err := ledger.New(target, nil).Books(context.Background())
			if err != nil || len(books) != 0 {
				t.Errorf("target holds %v (%v), want nothing", books, err)
			}
		})
	}
	// A truncated file.
	if _, err := backup.Open(bytes.NewReader(arch[:len(arch)/2]), int64(len(arch)/2)); !errors.Is(err, backup.ErrCorrupt) {
		t.Errorf("half an archive: %v", err)
	}
}

// TestWhilePosting takes a backup while another goroutine posts: the
// archive restores to a prefix of the chain whose head is its manifest's.
func TestWhilePosting(t *testing.T) {
	ctx := context.Background()
	src := newSQLite(t)
	l := fill(t, src)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			_, err := l.Post(ctx, ledger.Entry{Book: "acme", Key: fmt.Sprintf("bg/%d", i), Date: date.MustParse("2025-02-10"),
				Lines: []ledger.Line{ledger.Debit("1200", eur("2.00")), ledger.Credit("8400", eur("2.00"))}})
			if err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var archs [][]byte
	for range 3 {
		archs = append(archs, write(t, src))
	}
	stop.Store(true)
	wg.Wait()
	for i, arch := range archs {
		a := open(t, arch)
		target := memory.New()
		if err := backup.Restore(ctx, target, a, nil); err != nil {
			t.Fatalf("archive %d: %v", i, err)
		}
		head, err := ledger.New(target, nil).Verify(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if want := a.Manifest.Books[0].Head.Seq; head.Seq != want || head.Seq < 30 {
			t.Errorf("archive %d: head %d, manifest %d", i, head.Seq, want)
		}
		orig, err := l.Entry(ctx, "acme", head.Seq)
		if err != nil || orig.Hash != head.Hash {
			t.Errorf("archive %d: head %d is not a prefix of the source's chain (%v)", i, head.Seq, err)
		}
	}
}

// TestVersion1: an archive written before exchange rates were archived
// (format version 1, no fx/rates.jsonl) still verifies and restores.
func TestVersion1(t *testing.T) {
	ctx := context.Background()
	src := memory.New()
	fill(t, src)
	arch := write(t, src)
	arch = rezip(t, arch, "books/acme/fx/rates.jsonl", func([]byte) []byte { return nil })
	arch = rezip(t, arch, "manifest.json", func(b []byte) []byte {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		m["version"] = 1
		var members []any
		for _, x := range m["members"].([]any) {
			if x.(map[string]any)["name"] != "books/acme/fx/rates.jsonl" {
				members = append(members, x)
			}
		}
		m["members"] = members
		for _, bk := range m["books"].([]any) {
			delete(bk.(map[string]any)["counts"].(map[string]any), "fx/rates.jsonl")
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	})
	a := open(t, arch)
	if err := a.Verify(nil); err != nil {
		t.Fatal(err)
	}
	dst := memory.New()
	if err := backup.Restore(ctx, dst, a, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(trial(t, dst), trial(t, src)); diff != "" {
		t.Errorf("trial balance (-got +want):\n%s", diff)
	}
}
