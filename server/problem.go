package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/openbackoffice/backoffice/hr"
	"github.com/openbackoffice/backoffice/ledger"
	"github.com/openbackoffice/backoffice/partners"
	"github.com/openbackoffice/backoffice/payroll"
	"github.com/openbackoffice/backoffice/reporting"
)

// Problem is an RFC 9457 problem detail, the body of every API error
// (media type application/problem+json). Error names the sentinel error
// it stands for ("ledger.ErrPeriodClosed"), so that clients branch on it
// as Go callers do with errors.Is; Type is the same as a URN.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Error  string `json:"error"`
}

// sentinel maps a sentinel error to its name and HTTP status.
type sentinel struct {
	err    error
	name   string
	status int
}

// sentinels lists the errors the API reports by name, most specific first.
var sentinels = []sentinel{
	{ledger.ErrUnknownBook, "ledger.ErrUnknownBook", http.StatusNotFound},
	{ledger.ErrUnknownAccount, "ledger.ErrUnknownAccount", http.StatusUnprocessableEntity},
	{ledger.ErrNotFound, "ledger.ErrNotFound", http.StatusNotFound},
	{ledger.ErrConflict, "ledger.ErrConflict", http.StatusConflict},
	{ledger.ErrPeriodClosed, "ledger.ErrPeriodClosed", http.StatusConflict},
	{ledger.ErrPeriodLocked, "ledger.ErrPeriodLocked", http.StatusConflict},
	{ledger.ErrState, "ledger.ErrState", http.StatusConflict},
	{ledger.ErrDuplicate, "ledger.ErrDuplicate", http.StatusConflict},
	{ledger.ErrConstraint, "ledger.ErrConstraint", http.StatusUnprocessableEntity},
	{ledger.ErrUnbalanced, "ledger.ErrUnbalanced", http.StatusUnprocessableEntity},
	{ledger.ErrZeroAmount, "ledger.ErrZeroAmount", http.StatusUnprocessableEntity},
	{ledger.ErrScale, "ledger.ErrScale", http.StatusUnprocessableEntity},
	{ledger.ErrUnknownCurrency, "ledger.ErrUnknownCurrency", http.StatusUnprocessableEntity},
	{ledger.ErrCurrencyMismatch, "ledger.ErrCurrencyMismatch", http.StatusUnprocessableEntity},
	{ledger.ErrAccountClosed, "ledger.ErrAccountClosed", http.StatusUnprocessableEntity},
	{ledger.ErrOverflow, "ledger.ErrOverflow", http.StatusUnprocessableEntity},
	{ledger.ErrTampered, "ledger.ErrTampered", http.StatusInternalServerError},
	{ledger.ErrInvalid, "ledger.ErrInvalid", http.StatusUnprocessableEntity},
	{payroll.ErrRunProblems, "payroll.ErrRunProblems", http.StatusUnprocessableEntity},
	{payroll.ErrRunNotFound, "payroll.ErrRunNotFound", http.StatusNotFound},
	{payroll.ErrRunState, "payroll.ErrRunState", http.StatusConflict},
	{payroll.ErrStale, "payroll.ErrStale", http.StatusConflict},
	{payroll.ErrDuplicate, "payroll.ErrDuplicate", http.StatusConflict},
	{payroll.ErrInvalidInput, "payroll.ErrInvalidInput", http.StatusUnprocessableEntity},
	{payroll.ErrNoAccount, "payroll.ErrNoAccount", http.StatusUnprocessableEntity},
	{reporting.ErrRange, "reporting.ErrRange", http.StatusUnprocessableEntity},
	{reporting.ErrFiscalYear, "reporting.ErrFiscalYear", http.StatusUnprocessableEntity},
	{reporting.ErrCurrency, "reporting.ErrCurrency", http.StatusUnprocessableEntity},
	{reporting.ErrOption, "reporting.ErrOption", http.StatusUnprocessableEntity},
	{partners.ErrUnknownParty, "partners.ErrUnknownParty", http.StatusNotFound},
	{partners.ErrNotFound, "partners.ErrNotFound", http.StatusNotFound},
	{partners.ErrConflict, "partners.ErrConflict", http.StatusConflict},
	{partners.ErrDuplicate, "partners.ErrDuplicate", http.StatusConflict},
	{partners.ErrOverpayment, "partners.ErrOverpayment", http.StatusUnprocessableEntity},
	{partners.ErrSettled, "partners.ErrSettled", http.StatusConflict},
	{partners.ErrCreditExceeds, "partners.ErrCreditExceeds", http.StatusUnprocessableEntity},
	{partners.ErrCurrency, "partners.ErrCurrency", http.StatusUnprocessableEntity},
	{partners.ErrInvalid, "partners.ErrInvalid", http.StatusUnprocessableEntity},
	{hr.ErrNotFound, "hr.ErrNotFound", http.StatusNotFound},
	{hr.ErrInvalid, "hr.ErrInvalid", http.StatusUnprocessableEntity},
	{ErrInvalid, "server.ErrInvalid", http.StatusBadRequest},
	{ErrNotFound, "server.ErrNotFound", http.StatusNotFound},
	{ErrDuplicate, "server.ErrDuplicate", http.StatusConflict},
	{context.DeadlineExceeded, "context.DeadlineExceeded", http.StatusServiceUnavailable},
}

// writeProblem writes a problem with the given status and name.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, name, detail string) {
	p := Problem{Type: "urn:backoffice:error:" + name, Title: http.StatusText(status), Status: status, Detail: detail, Error: name}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeError writes err as a problem: a known sentinel with its status and
// the error's message (which by the packages' rules carries no personal
// data or amounts), anything else as a 500 without detail, logged.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	for _, x := range sentinels {
		if errors.Is(err, x.err) {
			detail := err.Error()
			if x.status >= 500 {
				detail = ""
			}
			writeProblem(w, r, x.status, x.name, detail)
			return
		}
	}
	s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err.Error())
	writeProblem(w, r, http.StatusInternalServerError, "internal", "")
}

// problemStatus is the HTTP status writeError would give err.
func problemStatus(err error) int {
	for _, x := range sentinels {
		if errors.Is(err, x.err) {
			return x.status
		}
	}
	return http.StatusInternalServerError
}
