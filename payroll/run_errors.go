package payroll

import (
	"errors"
	"strings"
)

// Sentinel errors of pay runs; test with errors.Is.
var (
	// ErrRunNotFound: no run has the ID asked for.
	ErrRunNotFound = errors.New("payroll: run not found")
	// ErrDuplicate: a run with the ID exists with another spec, or a
	// calculation already has a payslip of the employee.
	ErrDuplicate = errors.New("payroll: already exists")
	// ErrRunState: the run is not in a state that allows the operation
	// (calculating an approved run, posting one not approved).
	ErrRunState = errors.New("payroll: not allowed in the run's state")
	// ErrRunProblems: the run's last calculation failed for some
	// employees (Run.Problems); it is neither approved nor posted.
	ErrRunProblems = errors.New("payroll: run has employees with errors")
	// ErrStale: another run of the book was posted after this one was
	// calculated; calculate it again.
	ErrStale = errors.New("payroll: run calculated before another run was posted")
	// ErrPeriodPaid: a regular run for a period the employee was already
	// paid for by a posted run, or before a later posted period.
	ErrPeriodPaid = errors.New("payroll: period already posted for the employee")
	// ErrNoAccount: the account mapping gives no account for a line.
	ErrNoAccount = errors.New("payroll: no account for a line")
)

// problemCodes are the stored codes of the sentinels a Problem may wrap.
var problemCodes = []struct {
	code string
	err  error
}{
	{"invalid_input", ErrInvalidInput},
	{"invalid_pack", ErrInvalidPack},
	{"unknown_pack", ErrUnknownPack},
	{"no_pack_version", ErrNoPackVersion},
	{"not_employed", ErrNotEmployed},
	{"no_compensation", ErrNoCompensation},
	{"currency", ErrCurrency},
	{"negative_net", ErrNegativeNet},
	{"period_paid", ErrPeriodPaid},
	{"retro_mismatch", ErrRetroMismatch},
}

// Problem is the stored error of one employee in a run's calculation. It
// carries the employee's ID and personnel number; Reason is the error
// message, which holds no names, amounts, hours or IDs (see Error). A Problem is an error:
// it wraps the sentinel Code stands for, so errors.Is(p, ErrNegativeNet)
// works after a round trip through a store.
type Problem struct {
	Employee        string
	PersonnelNumber string
	// Code is the sentinel's code: "no_compensation", "currency",
	// "negative_net", "unknown_pack", "period_paid" …; "" for another
	// cause.
	Code   string
	Reason string
}

// Error returns the reason.
func (p Problem) Error() string { return p.Reason }

// Unwrap returns the sentinel Code stands for, or nil.
func (p Problem) Unwrap() error {
	for _, c := range problemCodes {
		if c.code == p.Code {
			return c.err
		}
	}
	return nil
}

// problemOf makes the Problem of err, an error about one employee.
func problemOf(id, number string, err error) Problem {
	p := Problem{Employee: id, PersonnelNumber: number, Reason: err.Error()}
	for _, c := range problemCodes {
		if errors.Is(err, c.err) {
			p.Code = c.code
			break
		}
	}
	return p
}

// RunError is the error of a calculation that failed for some employees.
// Problems are those of the run (Run.Problems); Unwrap returns them and
// ErrRunProblems, so errors.Is(err, ErrNoCompensation) finds a cause.
type RunError struct {
	Run      string
	Problems []Problem
}

// Error returns, for example, "payroll: run 2026-03: 1 employee with
// errors: payroll: employee 1001 …".
func (e *RunError) Error() string {
	var b strings.Builder
	b.WriteString("payroll: run ")
	b.WriteString(e.Run)
	b.WriteString(": ")
	if len(e.Problems) == 1 {
		b.WriteString("1 employee with errors")
	} else {
		b.WriteString(itoa(len(e.Problems)))
		b.WriteString(" employees with errors")
	}
	for i, p := range e.Problems {
		if i == 3 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(p.Reason)
	}
	return b.String()
}

// Unwrap returns ErrRunProblems and the problems.
func (e *RunError) Unwrap() []error {
	out := make([]error, 0, len(e.Problems)+1)
	out = append(out, ErrRunProblems)
	for _, p := range e.Problems {
		out = append(out, p)
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
