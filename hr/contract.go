package hr

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/openbackoffice/backoffice/money"
)

// PayType says what a contract's Amount is paid for.
type PayType string

// Pay types.
const (
	Annual  PayType = "annual"  // a salary per year
	Monthly PayType = "monthly" // a salary per month
	Hourly  PayType = "hourly"  // a wage per hour worked
)

// Valid reports whether t is one of the pay types.
func (t PayType) Valid() bool { return t == Annual || t == Monthly || t == Hourly }

// Frequency is how often an employee is paid.
type Frequency string

// Pay frequencies.
const (
	Weekly      Frequency = "weekly"
	Biweekly    Frequency = "biweekly"
	Semimonthly Frequency = "semimonthly" // twice a month, such as on the 15th and the last day
	MonthlyPay  Frequency = "monthly"
)

// Valid reports whether f is one of the pay frequencies.
func (f Frequency) Valid() bool {
	return f == Weekly || f == Biweekly || f == Semimonthly || f == MonthlyPay
}

// ItemKind classifies a recurring pay item.
type ItemKind string

// Recurring pay item kinds. The rule pack decides how each is taxed.
const (
	Allowance       ItemKind = "allowance"        // paid in addition: travel, meals, capital-forming benefits
	Benefit         ItemKind = "benefit"          // a benefit in kind, taxed but not paid out: company car
	PensionDeferral ItemKind = "pension_deferral" // deferred from gross pay into a pension plan
	Garnishment     ItemKind = "garnishment"      // withheld from net pay for a creditor
)

// Valid reports whether k is one of the item kinds.
func (k ItemKind) Valid() bool {
	return k == Allowance || k == Benefit || k == PensionDeferral || k == Garnishment
}

// PayItem is a recurring item of a contract, paid or withheld every pay
// period while the contract version is in force.
type PayItem struct {
	Code   string       `json:"code"`   // the item's code, unique within the contract, such as "VWL"
	Kind   ItemKind     `json:"kind"`   // what it is
	Amount money.Amount `json:"amount"` // per pay period, positive; the kind gives the direction
}

// Weekdays is a set of days of the week, bit i standing for time.Weekday(i).
type Weekdays uint8

// MondayToFriday is the usual working week.
const MondayToFriday Weekdays = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday

// WeekdaysOf returns the set of the given days.
func WeekdaysOf(days ...time.Weekday) Weekdays {
	var w Weekdays
	for _, d := range days {
		w |= 1 << d
	}
	return w
}

// Has reports whether d is in w.
func (w Weekdays) Has(d time.Weekday) bool { return w&(1<<d) != 0 }

// Count returns the number of days in w.
func (w Weekdays) Count() int {
	n := 0
	for d := time.Sunday; d <= time.Saturday; d++ {
		if w.Has(d) {
			n++
		}
	}
	return n
}

var dayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// String returns the days, Monday first, as three-letter English names
// separated by spaces: "Mon Tue Wed Thu Fri". The empty set is "".
func (w Weekdays) String() string {
	var parts []string
	for i := range 7 {
		d := time.Weekday((i + 1) % 7)
		if w.Has(d) {
			parts = append(parts, dayNames[d])
		}
	}
	return strings.Join(parts, " ")
}

// ParseWeekdays reads the form String writes; names are case-insensitive
// and may also be separated by commas or '+'.
func ParseWeekdays(s string) (Weekdays, error) {
	var w Weekdays
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '+' }) {
		found := false
		for d, name := range dayNames {
			if strings.EqualFold(f, name) {
				w |= 1 << d
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("%w: want day names Mon … Sun", ErrInvalid)
		}
	}
	return w, nil
}

// MarshalText implements encoding.TextMarshaler with the form of String.
func (w Weekdays) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseWeekdays.
func (w *Weekdays) UnmarshalText(b []byte) error {
	v, err := ParseWeekdays(string(b))
	if err != nil {
		return err
	}
	*w = v
	return nil
}

// Contract is one version of an employee's contract and compensation. A
// change (a raise, fewer hours, a new allowance) is a new version valid from
// the day it takes effect; see Effective for how versions resolve.
type Contract struct {
	// Employee is the employee's ID.
	Employee string `json:"employee"`
	Effective

	PayType PayType `json:"pay_type"`
	// Amount is the pay per year, month or hour (by PayType); positive.
	Amount    money.Amount `json:"amount"`
	Frequency Frequency    `json:"frequency"`
	// WeeklyHours are the contracted hours per week, at least 0 and less
	// than the 168 hours of a week, at most 24 on each working day, at most 4
	// decimal places.
	WeeklyHours decimal.Decimal `json:"weekly_hours"`
	// WorkDays are the usual working days; not empty when WeeklyHours > 0.
	WorkDays Weekdays `json:"work_days"`
	// Items are the recurring pay items, in the order given.
	Items []PayItem `json:"items,omitempty"`
}

var maxWeeklyHours = decimal.NewFromInt(7 * 24)

// Validate checks the contract's own rules: an employee, a validity, a
// valid pay type and frequency, a positive amount, hours in range (a week
// that can be worked: less than the 168 hours of the week, which leave no
// hour free, and at most 24 on each working day), working days, and well-formed pay items with unique codes. Hours
// that are possible but above the legal limits are warnings (see
// Warnings), not errors. Currencies are checked
// against a registry by the Records. It returns a *FieldError wrapping
// ErrInvalid or ErrDuplicate.
func (c *Contract) Validate() error {
	const rec = "contract"
	if !validCode(c.Employee) {
		return fieldErr(rec, "employee", ErrInvalid, "required")
	}
	if err := checkValidity(rec, c.Effective); err != nil {
		return err
	}
	switch {
	case !c.PayType.Valid():
		return fieldErr(rec, "pay_type", ErrInvalid, "want annual, monthly or hourly")
	case c.Amount.Currency().IsZero():
		return fieldErr(rec, "currency", ErrInvalid, "required")
	case !c.Amount.IsPositive():
		return fieldErr(rec, "amount", ErrInvalid, "must be positive")
	case !c.Frequency.Valid():
		return fieldErr(rec, "frequency", ErrInvalid, "want weekly, biweekly, semimonthly or monthly")
	case c.WeeklyHours.IsNegative() || !c.WeeklyHours.LessThan(maxWeeklyHours) || !places(c.WeeklyHours, 4):
		return fieldErr(rec, "weekly_hours", ErrInvalid, "want at least 0 and less than 168 with at most 4 decimal places")
	case c.WorkDays >= 1<<7:
		return fieldErr(rec, "work_days", ErrInvalid, "not a set of weekdays")
	case c.WeeklyHours.IsPositive() && c.WorkDays == 0:
		return fieldErr(rec, "work_days", ErrInvalid, "required when weekly hours are positive")
	case c.WeeklyHours.GreaterThan(maxDayHours.Mul(decimal.NewFromInt(int64(c.WorkDays.Count())))):
		return fieldErr(rec, "weekly_hours", ErrInvalid, "more than 24 hours on each working day")
	}
	for i, it := range c.Items {
		field := "items"
		switch {
		case !validCode(it.Code) || len(it.Code) > 32:
			return fieldErr(rec, field, ErrInvalid, fmt.Sprintf("item %d: code", i+1))
		case !it.Kind.Valid():
			return fieldErr(rec, field, ErrInvalid, fmt.Sprintf("item %d: kind", i+1))
		case it.Amount.Currency().IsZero():
			return fieldErr(rec, field, ErrInvalid, fmt.Sprintf("item %d: no currency", i+1))
		case !it.Amount.IsPositive():
			return fieldErr(rec, field, ErrInvalid, fmt.Sprintf("item %d: amount must be positive", i+1))
		}
		for _, prev := range c.Items[:i] {
			if prev.Code == it.Code {
				return fieldErr(rec, field, ErrDuplicate, fmt.Sprintf("item %d: code used twice", i+1))
			}
		}
	}
	return nil
}

// Working time limits of the German ArbZG (§ 3: 8 hours a working day,
// up to 10 if the average over six months stays at 8; six working days a
// week) and of the EU Working Time Directive (48 hours a week on average).
var (
	legalWeeklyHours = decimal.NewFromInt(48)
	legalDayHours    = decimal.NewFromInt(10)
)

// Warnings returns what is legal to record in c but unusual enough to be
// looked at, each a *FieldError wrapping ErrUnusual: more than 48
// contracted hours a week, or more than 10 a working day on average (the
// limits of the German ArbZG and the EU Working Time Directive; an
// employer elsewhere, or an employee the ArbZG exempts, may contract
// more). A week that cannot be worked (all its 168 hours, or more than 24
// a working day) is no warning but an error of Validate. Records record
// contracts with warnings; the CSV import reports them to ImportOptions.Warn.
func (c *Contract) Warnings() []error {
	const rec = "contract"
	var ws []error
	if c.WeeklyHours.GreaterThan(legalWeeklyHours) {
		ws = append(ws, fieldErr(rec, "weekly_hours", ErrUnusual, "more than 48 hours a week"))
	}
	if n := c.WorkDays.Count(); n > 0 && c.WeeklyHours.GreaterThan(legalDayHours.Mul(decimal.NewFromInt(int64(n)))) {
		ws = append(ws, fieldErr(rec, "weekly_hours", ErrUnusual, "more than 10 hours a working day"))
	}
	return ws
}

// Clone returns a copy of c that shares no memory with it.
func (c Contract) Clone() Contract {
	if c.Items != nil {
		c.Items = append([]PayItem(nil), c.Items...)
	}
	return c
}

// places reports whether d has at most n decimal places (trailing zeros
// aside).
func places(d decimal.Decimal, n int32) bool { return d.Equal(d.Truncate(n)) }
