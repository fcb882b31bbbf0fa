-- Pay runs and payslips (package payroll).
--
-- A run is one row whose state Runs replace (UPDATE) until it is posted;
-- once posted, only its payment may change (the guard below), and runs are
-- never deleted. Payslips are appended, one row per run, calculation and
-- employee, and never changed. The posted payslips of an employee are those
-- of a posted or paid run's current calculation: a join, nothing
-- denormalized.
--
-- A payslip is stored whole as JSON text in the store's own form (amounts
-- as exact decimal text with their currency code, rates and quantities as
-- decimal text, never JSON numbers, never REAL), with the columns the
-- queries select on beside it. Structured run fields (employees, problems)
-- are JSON too. Dates are 'YYYY-MM-DD' text (NULL for none), times Unix
-- microseconds (NULL for none).
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_pay_runs (
    id             TEXT PRIMARY KEY CHECK (id <> ''),
    book           TEXT NOT NULL REFERENCES bo_books (id),
    kind           TEXT NOT NULL CHECK (kind IN ('regular', 'offcycle')),
    calendar       TEXT NOT NULL,
    frequency      TEXT NOT NULL CHECK (frequency IN ('', 'weekly', 'biweekly', 'semimonthly', 'monthly')),
    period_year    INTEGER NOT NULL,
    period_quarter INTEGER NOT NULL CHECK (period_quarter BETWEEN 0 AND 4),
    period_number  INTEGER NOT NULL CHECK (period_number >= 0),
    period_start   TEXT CHECK (length(period_start) = 10),
    period_end     TEXT CHECK (length(period_end) = 10 AND period_end >= period_start),
    pay_date       TEXT CHECK (length(pay_date) = 10),
    employees      TEXT CHECK (json_type(employees) = 'array'), -- IDs; NULL for all
    date           TEXT CHECK (length(date) = 10),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'calculated', 'approved', 'posted', 'paid')),
    calculation    INTEGER NOT NULL CHECK (calculation >= 0),
    basis          INTEGER NOT NULL CHECK (basis >= 0),
    problems       TEXT CHECK (json_type(problems) = 'array'), -- NULL for none
    post_seq       INTEGER NOT NULL CHECK (post_seq >= 0),
    entry          INTEGER NOT NULL CHECK (entry >= 0),
    payment_entry  INTEGER NOT NULL CHECK (payment_entry >= 0),
    bank_account   TEXT NOT NULL,
    payment_date   TEXT CHECK (length(payment_date) = 10),
    created_at     INTEGER,
    calculated_at  INTEGER,
    approved_at    INTEGER,
    posted_at      INTEGER,
    paid_at        INTEGER
) STRICT;
CREATE INDEX bo_pay_runs_book ON bo_pay_runs (book);
-- PostSeq numbers the posted runs of a book: two posts never share one.
CREATE UNIQUE INDEX bo_pay_runs_post_seq ON bo_pay_runs (book, post_seq) WHERE post_seq > 0;

CREATE TABLE bo_pay_payslips (
    run         TEXT NOT NULL REFERENCES bo_pay_runs (id),
    calculation INTEGER NOT NULL CHECK (calculation > 0),
    employee    TEXT NOT NULL CHECK (employee <> ''),
    period_end  TEXT NOT NULL CHECK (length(period_end) = 10),
    payslip     TEXT NOT NULL CHECK (json_type(payslip) = 'object'),
    PRIMARY KEY (run, calculation, employee)
) STRICT, WITHOUT ROWID;
CREATE INDEX bo_pay_payslips_employee ON bo_pay_payslips (employee, period_end);

CREATE TRIGGER bo_pay_payslips_no_update BEFORE UPDATE ON bo_pay_payslips
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_pay_payslips rows are immutable'); END;
CREATE TRIGGER bo_pay_payslips_no_delete BEFORE DELETE ON bo_pay_payslips
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_pay_payslips rows are immutable'); END;
CREATE TRIGGER bo_pay_runs_no_delete BEFORE DELETE ON bo_pay_runs
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_pay_runs rows are never deleted'); END;

-- A posted run keeps what it posted: it may only become paid, once, with
-- its payment's fields.
CREATE TRIGGER bo_pay_runs_posted BEFORE UPDATE ON bo_pay_runs
WHEN OLD.status IN ('posted', 'paid') AND (
    NEW.status NOT IN ('posted', 'paid') OR (OLD.status = 'paid' AND (
        NEW.status IS NOT OLD.status OR NEW.payment_entry IS NOT OLD.payment_entry OR
        NEW.bank_account IS NOT OLD.bank_account OR NEW.payment_date IS NOT OLD.payment_date OR
        NEW.paid_at IS NOT OLD.paid_at)) OR
    NEW.id IS NOT OLD.id OR NEW.book IS NOT OLD.book OR NEW.kind IS NOT OLD.kind OR
    NEW.calendar IS NOT OLD.calendar OR NEW.frequency IS NOT OLD.frequency OR
    NEW.period_year IS NOT OLD.period_year OR NEW.period_quarter IS NOT OLD.period_quarter OR
    NEW.period_number IS NOT OLD.period_number OR NEW.period_start IS NOT OLD.period_start OR
    NEW.period_end IS NOT OLD.period_end OR NEW.pay_date IS NOT OLD.pay_date OR
    NEW.employees IS NOT OLD.employees OR NEW.date IS NOT OLD.date OR
    NEW.calculation IS NOT OLD.calculation OR NEW.basis IS NOT OLD.basis OR
    NEW.problems IS NOT OLD.problems OR NEW.post_seq IS NOT OLD.post_seq OR NEW.entry IS NOT OLD.entry OR
    NEW.created_at IS NOT OLD.created_at OR NEW.calculated_at IS NOT OLD.calculated_at OR
    NEW.approved_at IS NOT OLD.approved_at OR NEW.posted_at IS NOT OLD.posted_at)
BEGIN SELECT RAISE(ABORT, 'backoffice: a posted pay run keeps what it posted'); END;
