package payroll

import (
	"context"

	"github.com/openbackoffice/backoffice/date"
)

// Process says how far Runs.Process takes a run.
type Process struct {
	// Approve approves the run once calculated without problems.
	Approve bool
	// Post posts the approved run's journal entry (implies Approve).
	Post bool
	// PayFrom, if set, posts the payment of net pay from this bank account
	// on PayDate (implies Post).
	PayFrom string
	PayDate date.Date
}

// Process takes the run of spec through every step p asks for: create,
// calculate, approve, post, pay. Every step is idempotent, so Process can
// be called again after a crash at any point (a cron job simply runs
// again): a step already done returns the run unchanged, and Process goes
// on from where the run stands. It stops at the first step that fails and
// returns the run as that step left it, with its error: a run whose
// calculation has problems is returned calculated, with the *RunError, and
// neither approved nor posted. A stale approved run (another run of the
// book was posted meanwhile) is calculated and approved again before it
// is posted.
func (r *Runs) Process(ctx context.Context, spec RunSpec, p Process) (Run, error) {
	run, err := r.CreateRun(ctx, spec)
	if err != nil {
		return run, err
	}
	if run, err = r.Calculate(ctx, spec.ID); err != nil {
		return run, err
	}
	if !p.Approve && !p.Post && p.PayFrom == "" {
		return run, nil
	}
	if run, err = r.Approve(ctx, spec.ID); err != nil {
		return run, err
	}
	if !p.Post && p.PayFrom == "" {
		return run, nil
	}
	if run, err = r.Post(ctx, spec.ID); err != nil {
		return run, err
	}
	if p.PayFrom == "" {
		return run, nil
	}
	return r.PostPayment(ctx, spec.ID, p.PayFrom, p.PayDate)
}
