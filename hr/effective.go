package hr

import (
	"slices"
	"time"

	"github.com/openbackoffice/backoffice/date"
)

// Effective is the bitemporal stamp of an effective-dated record (a Contract
// or a TaxProfile version): the days it is valid for, and when and in which
// order it was recorded.
//
// Versions are never changed or deleted; a change is a new version. What was
// true on day D as recorded at time R is decided by [Resolve]: among the
// versions recorded at or before R whose validity covers D, the one recorded
// last wins (the latest RecordedAt; on equal RecordedAt the higher Seq). A
// version therefore overrides earlier ones only for the days it covers, and
// a retroactive change recorded today leaves every answer "as recorded
// yesterday" unchanged.
type Effective struct {
	// ValidFrom is the first day the version applies to; required.
	ValidFrom date.Date `json:"valid_from"`
	// ValidTo is the last day it applies to, or zero for no end.
	ValidTo date.Date `json:"valid_to,omitzero"`
	// RecordedAt is when the version was recorded, UTC at microsecond
	// precision. The Records set it from their clock.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
	// Seq numbers the versions of one employee (contracts and tax profiles
	// separately) from 1 in the order they were recorded; it breaks ties of
	// RecordedAt. The Records set it.
	Seq int64 `json:"seq,omitempty"`
}

// Covers reports whether d lies within ValidFrom–ValidTo.
func (e Effective) Covers(d date.Date) bool {
	return !d.Before(e.ValidFrom) && (e.ValidTo.IsZero() || !d.After(e.ValidTo))
}

// overlaps reports whether e and f share a day.
func (e Effective) overlaps(f Effective) bool {
	return (e.ValidTo.IsZero() || !e.ValidTo.Before(f.ValidFrom)) &&
		(f.ValidTo.IsZero() || !f.ValidTo.Before(e.ValidFrom))
}

// recordedBefore orders versions by recording: RecordedAt, then Seq.
func (e Effective) recordedBefore(f Effective) bool {
	if c := e.RecordedAt.Compare(f.RecordedAt); c != 0 {
		return c < 0
	}
	return e.Seq < f.Seq
}

// visible reports whether e was recorded at or before asOf (any time if asOf
// is zero).
func (e Effective) visible(asOf time.Time) bool {
	return asOf.IsZero() || !e.RecordedAt.After(asOf)
}

func (e Effective) effective() Effective { return e }

// Versioned is satisfied by the effective-dated records of this package,
// Contract and TaxProfile, through their embedded Effective.
type Versioned interface{ effective() Effective }

// Resolve returns the version valid on day on as recorded at asOf, and false
// if there is none (the day is before the first version, after the last
// ValidTo, or nothing covering it was recorded by asOf). A zero asOf means
// everything recorded. The result does not depend on the order of versions.
func Resolve[V Versioned](versions []V, on date.Date, asOf time.Time) (V, bool) {
	var (
		best  V
		bestE Effective
		found bool
	)
	for _, v := range versions {
		e := v.effective()
		if !e.visible(asOf) || !e.Covers(on) {
			continue
		}
		if !found || bestE.recordedBefore(e) {
			best, bestE, found = v, e, true
		}
	}
	return best, found
}

// Span is one stretch of a Timeline: the version in force from From to To
// (inclusive; zero To means no end).
type Span[V Versioned] struct {
	From, To date.Date
	Version  V
}

// Timeline returns, in date order, the stretches of days on which some
// version is in force as recorded at asOf (zero: everything recorded), each
// with the version Resolve picks for every one of its days. Days no version
// covers are left out; adjacent stretches have different versions. The
// result does not depend on the order of versions.
func Timeline[V Versioned](versions []V, asOf time.Time) []Span[V] {
	var visible []V
	var cuts []date.Date
	for _, v := range versions {
		e := v.effective()
		if !e.visible(asOf) {
			continue
		}
		visible = append(visible, v)
		cuts = append(cuts, e.ValidFrom)
		if !e.ValidTo.IsZero() {
			cuts = append(cuts, e.ValidTo.AddDays(1))
		}
	}
	slices.SortFunc(cuts, date.Date.Compare)
	cuts = slices.Compact(cuts)
	var spans []Span[V]
	for i, d := range cuts {
		v, ok := Resolve(visible, d, time.Time{})
		if !ok {
			continue
		}
		to := v.effective().ValidTo // the last cut: the version has no end, or ends here
		if i+1 < len(cuts) {
			to = cuts[i+1].AddDays(-1)
		}
		if n := len(spans); n > 0 && spans[n-1].To.AddDays(1) == d && sameVersion(spans[n-1].Version, v) {
			spans[n-1].To = to
			continue
		}
		spans = append(spans, Span[V]{From: d, To: to, Version: v})
	}
	return spans
}

func sameVersion[V Versioned](a, b V) bool {
	ea, eb := a.effective(), b.effective()
	return ea.Seq == eb.Seq && ea.RecordedAt.Equal(eb.RecordedAt) && ea.ValidFrom == eb.ValidFrom
}

// checkValidity returns a *FieldError wrapping ErrInvalid if e has no
// ValidFrom or ends before it starts.
func checkValidity(rec string, e Effective) error {
	if e.ValidFrom.IsZero() {
		return fieldErr(rec, "valid_from", ErrInvalid, "required")
	}
	if !e.ValidTo.IsZero() && e.ValidTo.Before(e.ValidFrom) {
		return fieldErr(rec, "valid_to", ErrInvalid, "before valid_from")
	}
	return nil
}
