package money

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMarshalJSON(t *testing.T) {
	tests := []struct {
		name    string
		a       Amount
		want    string
		wantErr error
	}{
		{name: "EUR", a: New(123456, EUR), want: `{"amount":"1234.56","currency":"EUR"}`},
		{name: "negative", a: New(-5, EUR), want: `{"amount":"-0.05","currency":"EUR"}`},
		{name: "JPY", a: New(1200, JPY), want: `{"amount":"1200","currency":"JPY"}`},
		{name: "BHD zero", a: Zero(BHD), want: `{"amount":"0.000","currency":"BHD"}`},
		{name: "max", a: New(math.MaxInt64, EUR), want: `{"amount":"92233720368547758.07","currency":"EUR"}`},
		{name: "custom", a: New(42, mustNewCurrency(t, "PTS", 0)), want: `{"amount":"42","currency":"PTS"}`},
		{name: "zero value", a: Amount{}, want: `null`},
		{name: "no currency", a: New(5, Currency{}), wantErr: ErrNoCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.MarshalJSON()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("MarshalJSON error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if string(got) != tt.want {
				t.Errorf("MarshalJSON = %s, want %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("MarshalJSON = %s, not valid JSON", got)
			}
		})
	}
}

func TestUnmarshalJSON(t *testing.T) {
	pts := mustNewCurrency(t, "PTS", 0)
	tests := []struct {
		name    string
		in      string
		preset  Amount
		want    Amount
		wantErr error
	}{
		{name: "EUR", in: `{"amount":"1234.56","currency":"EUR"}`, want: New(123456, EUR)},
		{name: "currency first, spaces", in: ` { "currency" : "JPY" , "amount" : "-1200" } `, want: New(-1200, JPY)},
		{name: "extra zeros", in: `{"amount":"1.500","currency":"EUR"}`, want: New(150, EUR)},
		{name: "unknown key ignored", in: `{"amount":"1.50","currency":"EUR","note":"x"}`, want: New(150, EUR)},
		{name: "replaces preset", in: `{"amount":"2","currency":"USD"}`, preset: New(1, EUR), want: New(200, USD)},
		{name: "custom with preset", in: `{"amount":"42","currency":"PTS"}`, preset: Zero(pts), want: New(42, pts)},
		{name: "null keeps receiver", in: `null`, preset: New(7, EUR), want: New(7, EUR)},
		{name: "custom without preset", in: `{"amount":"42","currency":"PTS"}`, wantErr: ErrUnknownCurrency},
		{name: "number amount", in: `{"amount":1234.56,"currency":"EUR"}`, wantErr: ErrSyntax},
		{name: "integer amount", in: `{"amount":12,"currency":"EUR"}`, wantErr: ErrSyntax},
		{name: "missing amount", in: `{"currency":"EUR"}`, wantErr: ErrSyntax},
		{name: "null amount", in: `{"amount":null,"currency":"EUR"}`, wantErr: ErrSyntax},
		{name: "missing currency", in: `{"amount":"1.00"}`, wantErr: ErrNoCurrency},
		{name: "empty currency", in: `{"amount":"1.00","currency":""}`, wantErr: ErrNoCurrency},
		{name: "unknown currency", in: `{"amount":"1.00","currency":"ABC"}`, wantErr: ErrUnknownCurrency},
		{name: "currency not a string", in: `{"amount":"1.00","currency":978}`, wantErr: ErrSyntax},
		{name: "scale", in: `{"amount":"1.234","currency":"EUR"}`, wantErr: ErrScale},
		{name: "syntax in amount", in: `{"amount":"1,234","currency":"EUR"}`, wantErr: ErrSyntax},
		{name: "overflow", in: `{"amount":"92233720368547758.08","currency":"EUR"}`, wantErr: ErrOverflow},
		{name: "bare string", in: `"1.00 EUR"`, wantErr: ErrSyntax},
		{name: "bare number", in: `1.00`, wantErr: ErrSyntax},
		{name: "array", in: `["1.00","EUR"]`, wantErr: ErrSyntax},
		{name: "malformed", in: `{"amount":"1.00",`, wantErr: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.preset
			err := got.UnmarshalJSON([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("UnmarshalJSON(%s) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if got != tt.preset {
					t.Errorf("UnmarshalJSON changed the receiver to %v on error", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("UnmarshalJSON(%s) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestUnmarshalJSONErrorOmitsInput(t *testing.T) {
	inputs := []string{
		`{"amount":"98765.4321","currency":"EUR"}`,
		`{"amount":98765.43,"currency":"EUR"}`,
		`{"amount":"98765x","currency":"EUR"}`,
		`{"amount":"98765","currency":"98765 salary"}`,
		`{"amount":"98765",`,
	}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			var a Amount
			err := a.UnmarshalJSON([]byte(in))
			if err == nil {
				t.Fatal("UnmarshalJSON succeeded")
			}
			if strings.Contains(err.Error(), "987") {
				t.Errorf("error %q contains the input", err)
			}
		})
	}
}

func TestJSONInStruct(t *testing.T) {
	type invoice struct {
		Net   Amount   `json:"net"`
		Lines []Amount `json:"lines"`
		Paid  Amount   `json:"paid"`
	}
	in := invoice{
		Net:   MustParse("100.00", EUR),
		Lines: []Amount{MustParse("60.00", EUR), MustParse("40.00", EUR)},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"net":{"amount":"100.00","currency":"EUR"},"lines":[{"amount":"60.00","currency":"EUR"},{"amount":"40.00","currency":"EUR"}],"paid":null}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	var got invoice
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, in, cmp.Comparer(Amount.Equal)); diff != "" {
		t.Errorf("round trip mismatch (-got +want):\n%s", diff)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, c := range ISOCurrencies() {
		for _, n := range extremes {
			a := New(n, c)
			t.Run(a.String(), func(t *testing.T) {
				b, err := json.Marshal(a)
				if err != nil {
					t.Fatal(err)
				}
				var got Amount
				if err := json.Unmarshal(b, &got); err != nil {
					t.Fatalf("json.Unmarshal(%s): %v", b, err)
				}
				if got != a {
					t.Errorf("round trip of %s = %v, want %v", b, got, a)
				}
			})
		}
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		name    string
		a       Amount
		want    driver.Value
		wantErr error
	}{
		{name: "EUR", a: New(123456, EUR), want: "1234.56"},
		{name: "negative", a: New(-5, EUR), want: "-0.05"},
		{name: "JPY", a: New(1200, JPY), want: "1200"},
		{name: "max", a: New(math.MaxInt64, EUR), want: "92233720368547758.07"},
		{name: "zero value", a: Amount{}, wantErr: ErrNoCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.Value()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Value error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Value() = %#v, want %#v", got, tt.want)
			}
			if err == nil && !driver.IsValue(got) {
				t.Errorf("Value() = %#v is not a driver.Value", got)
			}
		})
	}
}

func TestScan(t *testing.T) {
	pts := mustNewCurrency(t, "PTS", 0)
	tests := []struct {
		name    string
		preset  Amount
		src     any
		want    Amount
		wantErr error
	}{
		{name: "string", preset: Zero(EUR), src: "1234.56", want: New(123456, EUR)},
		{name: "bytes", preset: Zero(EUR), src: []byte("-0.05"), want: New(-5, EUR)},
		{name: "NUMERIC with extra zeros", preset: Zero(EUR), src: "1234.5600", want: New(123456, EUR)},
		{name: "with currency", src: "1234.56 EUR", want: New(123456, EUR)},
		{name: "with currency bytes", src: []byte("12 JPY"), want: New(12, JPY)},
		{name: "explicit currency wins", preset: Zero(EUR), src: "1.00 USD", want: New(100, USD)},
		{name: "custom with preset", preset: Zero(pts), src: "12 PTS", want: New(12, pts)},
		{name: "int64", preset: Zero(EUR), src: int64(10), want: New(1000, EUR)},
		{name: "negative int64", preset: Zero(BHD), src: int64(-3), want: New(-3000, BHD)},
		{name: "int64 JPY", preset: Zero(JPY), src: int64(-math.MaxInt64), want: New(-math.MaxInt64, JPY)},
		{name: "int64 MinInt64", preset: Zero(JPY), src: int64(math.MinInt64), wantErr: ErrOverflow},
		{name: "int64 overflow", preset: Zero(EUR), src: int64(math.MaxInt64 / 10), wantErr: ErrOverflow},
		{name: "int64 no currency", src: int64(10), wantErr: ErrNoCurrency},
		{name: "string no currency", src: "1.00", wantErr: ErrNoCurrency},
		{name: "custom without preset", src: "12 PTS", wantErr: ErrUnknownCurrency},
		{name: "unknown currency", preset: Zero(EUR), src: "1.00 ABC", wantErr: ErrUnknownCurrency},
		{name: "two spaces", preset: Zero(EUR), src: "1.00  EUR", wantErr: ErrUnknownCurrency},
		{name: "scale", preset: Zero(EUR), src: "1.001", wantErr: ErrScale},
		{name: "syntax", preset: Zero(EUR), src: "abc", wantErr: ErrSyntax},
		{name: "float64", preset: Zero(EUR), src: float64(1), wantErr: ErrFloat},
		{name: "nil", preset: Zero(EUR), src: nil, wantErr: ErrNull},
		{name: "bool", preset: Zero(EUR), src: true, wantErr: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.preset
			err := got.Scan(tt.src)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Scan(%#v) error = %v, want %v", tt.src, err, tt.wantErr)
			}
			if err != nil {
				if got != tt.preset {
					t.Errorf("Scan changed the receiver to %v on error", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("Scan(%#v) = %v, want %v", tt.src, got, tt.want)
			}
		})
	}
}

func TestScanNullable(t *testing.T) {
	var n sql.Null[Amount]
	if err := n.Scan(nil); err != nil || n.Valid {
		t.Errorf("sql.Null[Amount].Scan(nil) = %v, Valid %t; want nil, false", err, n.Valid)
	}
	n.V = Zero(EUR)
	if err := n.Scan("1.50"); err != nil || !n.Valid || n.V != New(150, EUR) {
		t.Errorf("sql.Null[Amount].Scan(1.50) = %v, %v", n, err)
	}
}

func TestValueScanRoundTrip(t *testing.T) {
	for _, c := range ISOCurrencies() {
		for _, n := range extremes {
			a := New(n, c)
			t.Run(a.String(), func(t *testing.T) {
				v, err := a.Value()
				if err != nil {
					t.Fatal(err)
				}
				got := Zero(c)
				if err := got.Scan(v); err != nil {
					t.Fatalf("Scan(%v): %v", v, err)
				}
				if got != a {
					t.Errorf("Scan(Value()) = %v, want %v", got, a)
				}
				var full Amount
				if err := full.Scan(a.String()); err != nil || full != a {
					t.Errorf("Scan(String()) = %v, %v; want %v", full, err, a)
				}
			})
		}
	}
}

// Interface checks.
var (
	_ json.Marshaler   = Amount{}
	_ json.Unmarshaler = (*Amount)(nil)
	_ driver.Valuer    = Amount{}
	_ sql.Scanner      = (*Amount)(nil)
)
