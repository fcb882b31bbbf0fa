-- Pay runs and payslips (package payroll).
--
-- A run is one row whose state Runs replace (UPDATE) until it is posted;
-- once posted, only its payment may change (the guard below), and runs are
-- never deleted. Payslips are appended, one row per run, calculation and
-- employee, and never changed. The posted payslips of an employee are those
-- of a posted or paid run's current calculation: a join, nothing
-- denormalized.
--
-- A payslip is stored whole as JSON in the store's own form (amounts as
-- exact decimal text with their currency code, rates and quantities as
-- decimal text, never JSON numbers), with the columns the queries select
-- on beside it. Structured run fields (employees, problems) are JSON too.
-- Dates are DATE (NULL for none), times TIMESTAMPTZ (NULL for none).
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_pay_runs (
    id             TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    book           TEXT COLLATE "C" NOT NULL REFERENCES bo_books (id),
    kind           TEXT COLLATE "C" NOT NULL CHECK (kind IN ('regular', 'offcycle')),
    calendar       TEXT COLLATE "C" NOT NULL,
    frequency      TEXT COLLATE "C" NOT NULL CHECK (frequency IN ('', 'weekly', 'biweekly', 'semimonthly', 'monthly')),
    period_year    INTEGER NOT NULL,
    period_quarter INTEGER NOT NULL CHECK (period_quarter BETWEEN 0 AND 4),
    period_number  INTEGER NOT NULL CHECK (period_number >= 0),
    period_start   DATE,
    period_end     DATE CHECK (period_end >= period_start),
    pay_date       DATE,
    employees      JSONB CHECK (jsonb_typeof(employees) = 'array'), -- IDs; NULL for all
    date           DATE,
    status         TEXT COLLATE "C" NOT NULL CHECK (status IN ('draft', 'calculated', 'approved', 'posted', 'paid')),
    calculation    INTEGER NOT NULL CHECK (calculation >= 0),
    basis          INTEGER NOT NULL CHECK (basis >= 0),
    problems       JSONB CHECK (jsonb_typeof(problems) = 'array'), -- NULL for none
    post_seq       BIGINT NOT NULL CHECK (post_seq >= 0),
    entry          BIGINT NOT NULL CHECK (entry >= 0),
    payment_entry  BIGINT NOT NULL CHECK (payment_entry >= 0),
    bank_account   TEXT COLLATE "C" NOT NULL,
    payment_date   DATE,
    created_at     TIMESTAMPTZ,
    calculated_at  TIMESTAMPTZ,
    approved_at    TIMESTAMPTZ,
    posted_at      TIMESTAMPTZ,
    paid_at        TIMESTAMPTZ
);
CREATE INDEX bo_pay_runs_book ON bo_pay_runs (book);
-- PostSeq numbers the posted runs of a book: two posts never share one.
CREATE UNIQUE INDEX bo_pay_runs_post_seq ON bo_pay_runs (book, post_seq) WHERE post_seq > 0;

CREATE TABLE bo_pay_payslips (
    run         TEXT COLLATE "C" NOT NULL REFERENCES bo_pay_runs (id),
    calculation INTEGER NOT NULL CHECK (calculation > 0),
    employee    TEXT COLLATE "C" NOT NULL CHECK (employee <> ''),
    period_end  DATE NOT NULL,
    payslip     JSONB NOT NULL CHECK (jsonb_typeof(payslip) = 'object'),
    PRIMARY KEY (run, calculation, employee)
);
CREATE INDEX bo_pay_payslips_employee ON bo_pay_payslips (employee, period_end);

CREATE TRIGGER bo_pay_payslips_immutable BEFORE UPDATE OR DELETE ON bo_pay_payslips
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_pay_payslips_no_truncate BEFORE TRUNCATE ON bo_pay_payslips
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_pay_runs_no_delete BEFORE DELETE ON bo_pay_runs
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_pay_runs_no_truncate BEFORE TRUNCATE ON bo_pay_runs
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();

-- A posted run keeps what it posted: it may only become paid, once, with
-- its payment's fields.
CREATE FUNCTION bo_pay_runs_posted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('posted', 'paid') AND (
        NEW.status NOT IN ('posted', 'paid') OR (OLD.status = 'paid' AND
            (NEW.status, NEW.payment_entry, NEW.bank_account, NEW.payment_date, NEW.paid_at)
            IS DISTINCT FROM (OLD.status, OLD.payment_entry, OLD.bank_account, OLD.payment_date, OLD.paid_at)) OR
        (NEW.id, NEW.book, NEW.kind, NEW.calendar, NEW.frequency, NEW.period_year, NEW.period_quarter, NEW.period_number,
         NEW.period_start, NEW.period_end, NEW.pay_date, NEW.employees, NEW.date, NEW.calculation, NEW.basis, NEW.problems,
         NEW.post_seq, NEW.entry, NEW.created_at, NEW.calculated_at, NEW.approved_at, NEW.posted_at)
        IS DISTINCT FROM
        (OLD.id, OLD.book, OLD.kind, OLD.calendar, OLD.frequency, OLD.period_year, OLD.period_quarter, OLD.period_number,
         OLD.period_start, OLD.period_end, OLD.pay_date, OLD.employees, OLD.date, OLD.calculation, OLD.basis, OLD.problems,
         OLD.post_seq, OLD.entry, OLD.created_at, OLD.calculated_at, OLD.approved_at, OLD.posted_at)) THEN
        RAISE EXCEPTION 'backoffice: a posted pay run keeps what it posted' USING ERRCODE = 'BO001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bo_pay_runs_posted BEFORE UPDATE ON bo_pay_runs
    FOR EACH ROW EXECUTE FUNCTION bo_pay_runs_posted();
