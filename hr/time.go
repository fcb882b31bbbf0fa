package hr

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/date"
	"github.com/openbackoffice/backoffice/money"
)

// HourKind classifies hours worked.
type HourKind string

// Hour kinds.
const (
	Regular  HourKind = "regular"
	Overtime HourKind = "overtime"
	Night    HourKind = "night"
	Holiday  HourKind = "holiday" // worked on a public holiday
)

// Valid reports whether k is one of the hour kinds.
func (k HourKind) Valid() bool { return k == Regular || k == Overtime || k == Night || k == Holiday }

// TimeEntry records hours an employee worked on one day. Entries are never
// changed: a correction is an entry with negative hours, which may take back
// hours of the same kind and day recorded earlier.
type TimeEntry struct {
	Employee string    `json:"employee"` // the employee's ID
	Date     date.Date `json:"date"`
	Kind     HourKind  `json:"kind"`
	// Hours are non-zero, at most 24 either way, with at most 4 decimal
	// places. Over all entries of an employee and date they add up to at
	// most 24, and per kind to at least 0.
	Hours decimal.Decimal `json:"hours"`
	// RecordedAt is when the entry was recorded; the Records set it.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
}

var maxDayHours = decimal.NewFromInt(24)

// noDate is the zero Date, an open bound of a date range.
var noDate date.Date

// Validate checks the entry's own rules. It returns a *FieldError wrapping
// ErrInvalid or ErrTooManyHours.
func (e *TimeEntry) Validate() error {
	const rec = "time"
	switch {
	case !validCode(e.Employee):
		return fieldErr(rec, "employee", ErrInvalid, "required")
	case e.Date.IsZero():
		return fieldErr(rec, "date", ErrInvalid, "required")
	case !e.Kind.Valid():
		return fieldErr(rec, "kind", ErrInvalid, "want regular, overtime, night or holiday")
	case e.Hours.IsZero() || !places(e.Hours, 4):
		return fieldErr(rec, "hours", ErrInvalid, "want non-zero hours with at most 4 decimal places")
	case e.Hours.Abs().GreaterThan(maxDayHours):
		return fieldErr(rec, "hours", ErrTooManyHours, "")
	}
	return nil
}

// AbsenceKind classifies absences.
type AbsenceKind string

// Absence kinds.
const (
	Vacation AbsenceKind = "vacation"
	Sick     AbsenceKind = "sick"
	Parental AbsenceKind = "parental"
	Unpaid   AbsenceKind = "unpaid" // unpaid leave
)

// Valid reports whether k is one of the absence kinds.
func (k AbsenceKind) Valid() bool { return k == Vacation || k == Sick || k == Parental || k == Unpaid }

// Absence records that an employee is away from From to To, both days
// included, or for half of one day.
//
// Absences of an employee never overlap, with one exception: a day may hold
// two half-day absences (a morning of vacation and an afternoon sick). A day
// with a full-day absence, or two half-day ones, takes no time entries; a day
// with one half-day absence does (the other half worked), within the 24
// hours of every day.
type Absence struct {
	Employee string      `json:"employee"` // the employee's ID
	Kind     AbsenceKind `json:"kind"`
	From     date.Date   `json:"from"`
	// To is the last day of the absence, on or after From; a zero To is
	// taken as From.
	To date.Date `json:"to"`
	// HalfDay marks an absence of half a day; From and To are then the same day.
	HalfDay bool `json:"half_day,omitempty"`
	// RecordedAt is when the absence was recorded; the Records set it.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
}

// maxAbsenceDays bounds one absence (about five years of parental leave).
const maxAbsenceDays = 5 * 366

// Validate checks the absence's own rules. It returns a *FieldError
// wrapping ErrInvalid.
func (a *Absence) Validate() error {
	const rec = "absence"
	to := a.To
	if to.IsZero() {
		to = a.From
	}
	switch {
	case !validCode(a.Employee):
		return fieldErr(rec, "employee", ErrInvalid, "required")
	case !a.Kind.Valid():
		return fieldErr(rec, "kind", ErrInvalid, "want vacation, sick, parental or unpaid")
	case a.From.IsZero():
		return fieldErr(rec, "from", ErrInvalid, "required")
	case to.Before(a.From):
		return fieldErr(rec, "to", ErrInvalid, "before from")
	case a.From.DaysUntil(to) >= maxAbsenceDays:
		return fieldErr(rec, "to", ErrInvalid, "longer than five years")
	case a.HalfDay && to != a.From:
		return fieldErr(rec, "half_day", ErrInvalid, "a half day is one day")
	}
	return nil
}

// ItemType classifies one-time items.
type ItemType string

// One-time item types.
const (
	Bonus      ItemType = "bonus"
	Commission ItemType = "commission"
	Expense    ItemType = "expense"    // an expense reimbursement
	Correction ItemType = "correction" // corrects an earlier pay period; may be negative
)

// Valid reports whether t is one of the item types.
func (t ItemType) Valid() bool {
	return t == Bonus || t == Commission || t == Expense || t == Correction
}

// OneTimeItem is a payment or deduction that happens once. It belongs to
// the pay period that contains its Date: a pay run for the period from
// start to end takes the items dated within it, whatever the pay frequency.
// For a monthly payroll any day of the month will do; by convention the
// first ("2026-03" is 2026-03-01).
type OneTimeItem struct {
	Employee string `json:"employee"` // the employee's ID
	// Key identifies the item among the employee's items: recording an
	// item again with the same Key and payload is a no-op, with another
	// payload ErrDuplicate. 1–128 printable characters.
	Key    string       `json:"key"`
	Date   date.Date    `json:"date"`
	Type   ItemType     `json:"type"`
	Code   string       `json:"code,omitempty"` // the wage type the rule pack maps it to, if any
	Amount money.Amount `json:"amount"`         // positive; a Correction may be negative, never zero
	// RecordedAt is when the item was recorded; the Records set it.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
}

// Validate checks the item's own rules. It returns a *FieldError wrapping
// ErrInvalid.
func (it *OneTimeItem) Validate() error {
	const rec = "item"
	switch {
	case !validCode(it.Employee):
		return fieldErr(rec, "employee", ErrInvalid, "required")
	case !validCode(it.Key):
		return fieldErr(rec, "key", ErrInvalid, "want 1–128 printable characters")
	case it.Date.IsZero():
		return fieldErr(rec, "date", ErrInvalid, "required")
	case !it.Type.Valid():
		return fieldErr(rec, "type", ErrInvalid, "want bonus, commission, expense or correction")
	case it.Code != "" && (!validCode(it.Code) || len(it.Code) > 32):
		return fieldErr(rec, "code", ErrInvalid, "want up to 32 printable characters")
	case it.Amount.Currency().IsZero():
		return fieldErr(rec, "currency", ErrInvalid, "required")
	case it.Amount.IsZero():
		return fieldErr(rec, "amount", ErrInvalid, "must not be zero")
	case it.Amount.IsNegative() && it.Type != Correction:
		return fieldErr(rec, "amount", ErrInvalid, "must be positive")
	}
	return nil
}
