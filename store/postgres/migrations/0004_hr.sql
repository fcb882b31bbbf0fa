-- HR records (package hr): employees and the versions of their master
-- data, effective-dated contracts and tax profiles, time entries, absences
-- and one-time items. Every record is one row, appended and never changed:
-- the triggers at the end refuse UPDATE, DELETE and TRUNCATE.
--
-- Amounts are BIGINT minor units with their currency code ('' for an
-- amount without currency); hours, rates and child allowances are NUMERIC,
-- never float. Dates are DATE (NULL for none), times TIMESTAMPTZ. The
-- CHECKs repeat what the hr package validates that SQL can say; the
-- package checks all of it before it writes.
--
-- Time entries and absences have no natural key (identical rows are kept),
-- so they carry a surrogate id from bo_hr_id, which, like bo_version, only
-- has to be unique.
-- Released: never edit; add a new numbered file instead.

CREATE SEQUENCE bo_hr_id;

-- One row per employee: what never changes. The row is also the lock that
-- serializes writers of one employee's records (SELECT … FOR UPDATE).
CREATE TABLE bo_hr_employees (
    id               TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    employer         TEXT COLLATE "C" NOT NULL CHECK (employer <> ''),
    personnel_number TEXT COLLATE "C" NOT NULL CHECK (personnel_number ~ '^[A-Za-z0-9._/-]{1,32}$'),
    UNIQUE (employer, personnel_number)
);

CREATE TABLE bo_hr_employee_versions (
    id               TEXT COLLATE "C" NOT NULL REFERENCES bo_hr_employees (id),
    version          INTEGER NOT NULL CHECK (version > 0),
    given_name       TEXT NOT NULL,
    family_name      TEXT NOT NULL CHECK (family_name <> ''),
    birth_date       DATE,
    street           TEXT NOT NULL,
    postal_code      TEXT NOT NULL,
    city             TEXT NOT NULL,
    region           TEXT NOT NULL,
    country          TEXT COLLATE "C" NOT NULL CHECK (country = '' OR country ~ '^[A-Z]{2}$'),
    email            TEXT NOT NULL,
    hire_date        DATE NOT NULL,
    termination_date DATE CHECK (termination_date >= hire_date),
    department       TEXT NOT NULL,
    cost_centre      TEXT NOT NULL,
    manager          TEXT COLLATE "C" NOT NULL CHECK (manager <> id),
    iban             TEXT COLLATE "C" NOT NULL,
    bic              TEXT COLLATE "C" NOT NULL,
    routing_number   TEXT COLLATE "C" NOT NULL,
    account_number   TEXT COLLATE "C" NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id, version),
    CHECK (birth_date < hire_date)
);

CREATE TABLE bo_hr_contracts (
    employee     TEXT COLLATE "C" NOT NULL REFERENCES bo_hr_employees (id),
    seq          BIGINT NOT NULL CHECK (seq > 0),
    valid_from   DATE NOT NULL,
    valid_to     DATE CHECK (valid_to >= valid_from),
    recorded_at  TIMESTAMPTZ NOT NULL,
    pay_type     TEXT COLLATE "C" NOT NULL CHECK (pay_type IN ('annual', 'monthly', 'hourly')),
    amount       BIGINT NOT NULL CHECK (amount > 0),
    currency     TEXT COLLATE "C" NOT NULL CHECK (currency <> ''),
    frequency    TEXT COLLATE "C" NOT NULL CHECK (frequency IN ('weekly', 'biweekly', 'semimonthly', 'monthly')),
    weekly_hours NUMERIC NOT NULL CHECK (weekly_hours BETWEEN 0 AND 168 AND weekly_hours = round(weekly_hours, 4)),
    work_days    SMALLINT NOT NULL CHECK (work_days BETWEEN 0 AND 127),
    items        JSONB CHECK (jsonb_typeof(items) = 'array'), -- [{code, kind, minor, currency}], NULL for none
    PRIMARY KEY (employee, seq)
);

CREATE TABLE bo_hr_tax_profiles (
    employee                      TEXT COLLATE "C" NOT NULL REFERENCES bo_hr_employees (id),
    seq                           BIGINT NOT NULL CHECK (seq > 0),
    valid_from                    DATE NOT NULL,
    valid_to                      DATE CHECK (valid_to >= valid_from),
    recorded_at                   TIMESTAMPTZ NOT NULL,
    jurisdiction                  TEXT COLLATE "C" NOT NULL CHECK (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9-]+)?$' AND length(jurisdiction) <= 16),
    -- Germany; zero for other jurisdictions.
    de_tax_class                  SMALLINT NOT NULL CHECK (de_tax_class BETWEEN 0 AND 6),
    de_child_allowances           NUMERIC NOT NULL CHECK (de_child_allowances BETWEEN 0 AND 99 AND de_child_allowances * 2 = round(de_child_allowances * 2)),
    de_church_tax                 BOOLEAN NOT NULL,
    de_health_supplement          NUMERIC NOT NULL CHECK (de_health_supplement BETWEEN 0 AND 10 AND de_health_supplement = round(de_health_supplement, 3)),
    de_state                      TEXT COLLATE "C" NOT NULL CHECK (de_state IN ('', 'BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV',
                                                                                 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH')),
    -- United States (Form W-4); zero for other jurisdictions.
    us_filing_status              TEXT COLLATE "C" NOT NULL CHECK (us_filing_status IN ('', 'single', 'married_jointly', 'head_of_household', 'married_single_rate')),
    us_pre_2020                   BOOLEAN NOT NULL,
    us_allowances                 SMALLINT NOT NULL CHECK (us_allowances BETWEEN 0 AND 99),
    us_multiple_jobs              BOOLEAN NOT NULL,
    us_dependents                 BIGINT NOT NULL CHECK (us_dependents >= 0),
    us_dependents_currency        TEXT COLLATE "C" NOT NULL,
    us_other_income               BIGINT NOT NULL CHECK (us_other_income >= 0),
    us_other_income_currency      TEXT COLLATE "C" NOT NULL,
    us_deductions                 BIGINT NOT NULL CHECK (us_deductions >= 0),
    us_deductions_currency        TEXT COLLATE "C" NOT NULL,
    us_extra_withholding          BIGINT NOT NULL CHECK (us_extra_withholding >= 0),
    us_extra_withholding_currency TEXT COLLATE "C" NOT NULL,
    extra                         JSONB CHECK (jsonb_typeof(extra) = 'object'), -- NULL for none
    PRIMARY KEY (employee, seq),
    CHECK (jurisdiction = 'DE' OR (de_tax_class = 0 AND de_state = '')),
    CHECK (jurisdiction = 'US' OR jurisdiction LIKE 'US-%' OR us_filing_status = '')
);

CREATE TABLE bo_hr_time (
    id          BIGINT PRIMARY KEY DEFAULT nextval('bo_hr_id'),
    employee    TEXT COLLATE "C" NOT NULL REFERENCES bo_hr_employees (id),
    date        DATE NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('regular', 'overtime', 'night', 'holiday')),
    hours       NUMERIC NOT NULL CHECK (hours BETWEEN -24 AND 24 AND hours <> 0 AND hours = round(hours, 4)),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX bo_hr_time_date ON bo_hr_time (employee, date);

CREATE TABLE bo_hr_absences (
    id          BIGINT PRIMARY KEY DEFAULT nextval('bo_hr_id'),
    employee    TEXT COLLATE "C" NOT NULL REFERENCES bo_hr_employees (id),
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('vacation', 'sick', 'parental', 'unpaid')),
    from_date   DATE NOT NULL,
    to_date     DATE NOT NULL CHECK (to_date >= from_date),
    half_day    BOOLEAN NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    CHECK (NOT half_day OR from_date = to_date)
);
CREATE INDEX bo_hr_absences_dates ON bo_hr_absences (employee, from_date, to_date);

CREATE TABLE bo_hr_items (
    employee    TEXT COLLATE "C" NOT NULL REFERENCES bo_hr_employees (id),
    key         TEXT COLLATE "C" NOT NULL CHECK (key <> ''),
    date        DATE NOT NULL,
    type        TEXT COLLATE "C" NOT NULL CHECK (type IN ('bonus', 'commission', 'expense', 'correction')),
    code        TEXT COLLATE "C" NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount <> 0 AND (amount > 0 OR type = 'correction')),
    currency    TEXT COLLATE "C" NOT NULL CHECK (currency <> ''),
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (employee, key)
);
CREATE INDEX bo_hr_items_date ON bo_hr_items (employee, date);

CREATE TRIGGER bo_hr_employees_immutable BEFORE UPDATE OR DELETE ON bo_hr_employees
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_employees_no_truncate BEFORE TRUNCATE ON bo_hr_employees
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_employee_versions_immutable BEFORE UPDATE OR DELETE ON bo_hr_employee_versions
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_employee_versions_no_truncate BEFORE TRUNCATE ON bo_hr_employee_versions
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_contracts_immutable BEFORE UPDATE OR DELETE ON bo_hr_contracts
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_contracts_no_truncate BEFORE TRUNCATE ON bo_hr_contracts
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_tax_profiles_immutable BEFORE UPDATE OR DELETE ON bo_hr_tax_profiles
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_tax_profiles_no_truncate BEFORE TRUNCATE ON bo_hr_tax_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_time_immutable BEFORE UPDATE OR DELETE ON bo_hr_time
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_time_no_truncate BEFORE TRUNCATE ON bo_hr_time
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_absences_immutable BEFORE UPDATE OR DELETE ON bo_hr_absences
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_absences_no_truncate BEFORE TRUNCATE ON bo_hr_absences
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_items_immutable BEFORE UPDATE OR DELETE ON bo_hr_items
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_hr_items_no_truncate BEFORE TRUNCATE ON bo_hr_items
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
