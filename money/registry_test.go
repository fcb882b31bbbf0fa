package money

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestRegistryZeroValue(t *testing.T) {
	var r Registry
	got, err := r.Lookup("EUR")
	if err != nil || got != EUR {
		t.Errorf("zero Registry Lookup(EUR) = %v, %v; want EUR", got, err)
	}
	if _, err := r.Lookup("PTS"); !errors.Is(err, ErrUnknownCurrency) {
		t.Errorf("zero Registry Lookup(PTS) error = %v, want ErrUnknownCurrency", err)
	}
}

func TestRegistryRegister(t *testing.T) {
	tests := []struct {
		name       string
		code       string
		minorUnits int
		wantErr    error
	}{
		{name: "new custom", code: "PTS", minorUnits: 0},
		{name: "same again", code: "PTS", minorUnits: 0},
		{name: "other minor units", code: "PTS", minorUnits: 2, wantErr: ErrInvalidCurrency},
		{name: "second custom", code: "BTC", minorUnits: 8},
		{name: "ISO with its minor units", code: "EUR", minorUnits: 2},
		{name: "ISO with other minor units", code: "EUR", minorUnits: 4, wantErr: ErrInvalidCurrency},
		{name: "N.A. ISO code", code: "XAU", minorUnits: 3},
		{name: "malformed", code: "pts", minorUnits: 0, wantErr: ErrInvalidCurrency},
		{name: "too many minor units", code: "WEI", minorUnits: 19, wantErr: ErrInvalidCurrency},
	}
	r := NewRegistry() // shared: the cases build on each other
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := r.Register(tt.code, tt.minorUnits)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Register(%q, %d) error = %v, want %v", tt.code, tt.minorUnits, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got, want := c, mustNewCurrency(t, tt.code, tt.minorUnits); got != want {
				t.Errorf("Register(%q, %d) = %#v, want %#v", tt.code, tt.minorUnits, got, want)
			}
			got, err := r.Lookup(tt.code)
			if err != nil || got != c {
				t.Errorf("Lookup(%q) = %#v, %v; want %#v", tt.code, got, err, c)
			}
		})
	}
	if got, _ := r.Lookup("PTS"); got.MinorUnits() != 0 {
		t.Errorf("failed re-registration changed PTS to %d minor units", got.MinorUnits())
	}
}

func TestRegistriesAreIndependent(t *testing.T) {
	r1, r2 := NewRegistry(), NewRegistry()
	if _, err := r1.Register("PTS", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := r2.Register("PTS", 2); err != nil {
		t.Errorf("PTS/2 on a second registry: %v", err)
	}
	if _, err := ParseCurrency("PTS"); !errors.Is(err, ErrUnknownCurrency) {
		t.Errorf("registration leaked into ParseCurrency: %v", err)
	}
}

func TestRegistryConcurrent(t *testing.T) {
	r := NewRegistry()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				code := fmt.Sprintf("C%d", i)
				if _, err := r.Register(code, i%19); err != nil {
					t.Error(err)
					return
				}
				if c, err := r.Lookup(code); err != nil || c.MinorUnits() != i%19 {
					t.Errorf("Lookup(%s) = %v, %v", code, c, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
