package money

import (
	"fmt"
	"sync"
)

// Registry resolves currency codes: the ISO 4217 table plus the custom
// currencies registered on this Registry. Registrations are local to the
// value; there is no global registry, so two parts of a program (or two
// tests) cannot disturb each other.
//
// The zero Registry is ready to use and resolves ISO codes only. A Registry
// is safe for concurrent use by multiple goroutines. It must not be copied
// after first use.
type Registry struct {
	mu     sync.RWMutex
	custom map[string]Currency
}

// NewRegistry returns an empty Registry, which resolves ISO 4217 codes
// until custom currencies are registered on it.
func NewRegistry() *Registry { return new(Registry) }

// Register adds a custom currency and returns it. Registering a code again
// with the same minor units returns the same Currency; with different minor
// units the error wraps ErrInvalidCurrency. An ISO 4217 code may be
// "registered" only with its ISO minor units, which returns the ISO
// currency. The code rules are those of NewCurrency.
func (r *Registry) Register(code string, minorUnits int) (Currency, error) {
	c, err := NewCurrency(code, minorUnits)
	if err != nil {
		return Currency{}, err
	}
	if _, iso := isoLookup(code); iso {
		return c, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.custom[code]; ok {
		if old != c {
			return Currency{}, fmt.Errorf("money: currency %s already registered with %d minor units: %w", code, old.MinorUnits(), ErrInvalidCurrency)
		}
		return old, nil
	}
	if r.custom == nil {
		r.custom = make(map[string]Currency)
	}
	r.custom[code] = c
	return c, nil
}

// Lookup returns the currency with the given code: a custom currency
// registered on r, else the ISO 4217 currency. Codes are case-sensitive.
// For an unknown code the error wraps ErrUnknownCurrency.
func (r *Registry) Lookup(code string) (Currency, error) {
	r.mu.RLock()
	c, ok := r.custom[code]
	r.mu.RUnlock()
	if ok {
		return c, nil
	}
	return ParseCurrency(code)
}
