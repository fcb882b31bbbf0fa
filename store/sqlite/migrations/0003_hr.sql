-- HR records (package hr): employees and the versions of their master
-- data, effective-dated contracts and tax profiles, time entries, absences
-- and one-time items. Every record is one row, appended and never changed:
-- the triggers at the end refuse UPDATE and DELETE.
--
-- Amounts are INTEGER minor units with their currency code ('' for an
-- amount without currency). Hours, rates and child allowances are exact
-- decimal TEXT as shopspring/decimal writes it ('38.7525', '-1.5'), never
-- REAL; their CHECKs test the text and compare its numeric value (a cast
-- used only for the comparison). Dates are 'YYYY-MM-DD' text (NULL for
-- none), times Unix microseconds. The CHECKs repeat what the hr package
-- validates that SQL can say; the package checks all of it before it writes.
--
-- Time entries and absences have no natural key (identical rows are kept):
-- their key is the rowid.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_hr_employees (
    id               TEXT PRIMARY KEY CHECK (id <> ''),
    employer         TEXT NOT NULL CHECK (employer <> ''),
    personnel_number TEXT NOT NULL CHECK (length(personnel_number) BETWEEN 1 AND 32
                                          AND personnel_number NOT GLOB '*[^A-Za-z0-9._/-]*'),
    UNIQUE (employer, personnel_number)
) STRICT;

CREATE TABLE bo_hr_employee_versions (
    id               TEXT NOT NULL REFERENCES bo_hr_employees (id),
    version          INTEGER NOT NULL CHECK (version > 0),
    given_name       TEXT NOT NULL,
    family_name      TEXT NOT NULL CHECK (family_name <> ''),
    birth_date       TEXT CHECK (length(birth_date) = 10),
    street           TEXT NOT NULL,
    postal_code      TEXT NOT NULL,
    city             TEXT NOT NULL,
    region           TEXT NOT NULL,
    country          TEXT NOT NULL CHECK (country = '' OR (length(country) = 2 AND country NOT GLOB '*[^A-Z]*')),
    email            TEXT NOT NULL,
    hire_date        TEXT NOT NULL CHECK (length(hire_date) = 10),
    termination_date TEXT CHECK (length(termination_date) = 10 AND termination_date >= hire_date),
    department       TEXT NOT NULL,
    cost_centre      TEXT NOT NULL,
    manager          TEXT NOT NULL CHECK (manager <> id),
    iban             TEXT NOT NULL,
    bic              TEXT NOT NULL,
    routing_number   TEXT NOT NULL,
    account_number   TEXT NOT NULL,
    recorded_at      INTEGER NOT NULL,
    PRIMARY KEY (id, version),
    CHECK (birth_date < hire_date)
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_hr_contracts (
    employee     TEXT NOT NULL REFERENCES bo_hr_employees (id),
    seq          INTEGER NOT NULL CHECK (seq > 0),
    valid_from   TEXT NOT NULL CHECK (length(valid_from) = 10),
    valid_to     TEXT CHECK (length(valid_to) = 10 AND valid_to >= valid_from),
    recorded_at  INTEGER NOT NULL,
    pay_type     TEXT NOT NULL CHECK (pay_type IN ('annual', 'monthly', 'hourly')),
    amount       INTEGER NOT NULL CHECK (amount > 0),
    currency     TEXT NOT NULL CHECK (currency <> ''),
    frequency    TEXT NOT NULL CHECK (frequency IN ('weekly', 'biweekly', 'semimonthly', 'monthly')),
    weekly_hours TEXT NOT NULL CHECK (weekly_hours GLOB '*[0-9]' AND weekly_hours NOT GLOB '*[^0-9.]*'
                                      AND weekly_hours NOT GLOB '*.?????*' AND CAST(weekly_hours AS NUMERIC) <= 168),
    work_days    INTEGER NOT NULL CHECK (work_days BETWEEN 0 AND 127),
    items        TEXT CHECK (json_type(items) = 'array'), -- [{code, kind, minor, currency}], NULL for none
    PRIMARY KEY (employee, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_hr_tax_profiles (
    employee                      TEXT NOT NULL REFERENCES bo_hr_employees (id),
    seq                           INTEGER NOT NULL CHECK (seq > 0),
    valid_from                    TEXT NOT NULL CHECK (length(valid_from) = 10),
    valid_to                      TEXT CHECK (length(valid_to) = 10 AND valid_to >= valid_from),
    recorded_at                   INTEGER NOT NULL,
    jurisdiction                  TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 2 AND 16 AND jurisdiction NOT GLOB '*[^A-Z0-9-]*'
                                                       AND substr(jurisdiction, 1, 2) NOT GLOB '*[^A-Z]*'
                                                       AND (length(jurisdiction) = 2 OR jurisdiction GLOB '??-?*')),
    -- Germany; zero for other jurisdictions.
    de_tax_class                  INTEGER NOT NULL CHECK (de_tax_class BETWEEN 0 AND 6),
    de_child_allowances           TEXT NOT NULL CHECK (de_child_allowances GLOB '*[0-9]' AND de_child_allowances NOT GLOB '*[^0-9.]*'
                                                       AND (de_child_allowances NOT GLOB '*.*' OR de_child_allowances GLOB '*.5')
                                                       AND CAST(de_child_allowances AS NUMERIC) <= 99),
    de_church_tax                 INTEGER NOT NULL CHECK (de_church_tax IN (0, 1)),
    de_health_supplement          TEXT NOT NULL CHECK (de_health_supplement GLOB '*[0-9]' AND de_health_supplement NOT GLOB '*[^0-9.]*'
                                                       AND de_health_supplement NOT GLOB '*.????*' AND CAST(de_health_supplement AS NUMERIC) <= 10),
    de_state                      TEXT NOT NULL CHECK (de_state IN ('', 'BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV',
                                                                    'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH')),
    -- United States (Form W-4); zero for other jurisdictions.
    us_filing_status              TEXT NOT NULL CHECK (us_filing_status IN ('', 'single', 'married_jointly', 'head_of_household', 'married_single_rate')),
    us_pre_2020                   INTEGER NOT NULL CHECK (us_pre_2020 IN (0, 1)),
    us_allowances                 INTEGER NOT NULL CHECK (us_allowances BETWEEN 0 AND 99),
    us_multiple_jobs              INTEGER NOT NULL CHECK (us_multiple_jobs IN (0, 1)),
    us_dependents                 INTEGER NOT NULL CHECK (us_dependents >= 0),
    us_dependents_currency        TEXT NOT NULL,
    us_other_income               INTEGER NOT NULL CHECK (us_other_income >= 0),
    us_other_income_currency      TEXT NOT NULL,
    us_deductions                 INTEGER NOT NULL CHECK (us_deductions >= 0),
    us_deductions_currency        TEXT NOT NULL,
    us_extra_withholding          INTEGER NOT NULL CHECK (us_extra_withholding >= 0),
    us_extra_withholding_currency TEXT NOT NULL,
    extra                         TEXT CHECK (json_type(extra) = 'object'), -- NULL for none
    PRIMARY KEY (employee, seq),
    CHECK (jurisdiction = 'DE' OR (de_tax_class = 0 AND de_state = '')),
    CHECK (jurisdiction = 'US' OR jurisdiction GLOB 'US-*' OR us_filing_status = '')
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_hr_time (
    id          INTEGER PRIMARY KEY,
    employee    TEXT NOT NULL REFERENCES bo_hr_employees (id),
    date        TEXT NOT NULL CHECK (length(date) = 10),
    kind        TEXT NOT NULL CHECK (kind IN ('regular', 'overtime', 'night', 'holiday')),
    hours       TEXT NOT NULL CHECK (hours GLOB '*[0-9]' AND hours NOT GLOB '*[^0-9.-]*' AND hours NOT GLOB '?*-*'
                                     AND hours NOT GLOB '*.?????*' AND CAST(hours AS NUMERIC) BETWEEN -24 AND 24
                                     AND CAST(hours AS NUMERIC) <> 0),
    recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX bo_hr_time_date ON bo_hr_time (employee, date);

CREATE TABLE bo_hr_absences (
    id          INTEGER PRIMARY KEY,
    employee    TEXT NOT NULL REFERENCES bo_hr_employees (id),
    kind        TEXT NOT NULL CHECK (kind IN ('vacation', 'sick', 'parental', 'unpaid')),
    from_date   TEXT NOT NULL CHECK (length(from_date) = 10),
    to_date     TEXT NOT NULL CHECK (length(to_date) = 10 AND to_date >= from_date),
    half_day    INTEGER NOT NULL CHECK (half_day IN (0, 1)),
    recorded_at INTEGER NOT NULL,
    CHECK (NOT half_day OR from_date = to_date)
) STRICT;
CREATE INDEX bo_hr_absences_dates ON bo_hr_absences (employee, from_date, to_date);

CREATE TABLE bo_hr_items (
    employee    TEXT NOT NULL REFERENCES bo_hr_employees (id),
    key         TEXT NOT NULL CHECK (key <> ''),
    date        TEXT NOT NULL CHECK (length(date) = 10),
    type        TEXT NOT NULL CHECK (type IN ('bonus', 'commission', 'expense', 'correction')),
    code        TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount <> 0 AND (amount > 0 OR type = 'correction')),
    currency    TEXT NOT NULL CHECK (currency <> ''),
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (employee, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX bo_hr_items_date ON bo_hr_items (employee, date);

CREATE TRIGGER bo_hr_employees_no_update BEFORE UPDATE ON bo_hr_employees
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_employees rows are immutable'); END;
CREATE TRIGGER bo_hr_employees_no_delete BEFORE DELETE ON bo_hr_employees
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_employees rows are immutable'); END;
CREATE TRIGGER bo_hr_employee_versions_no_update BEFORE UPDATE ON bo_hr_employee_versions
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_employee_versions rows are immutable'); END;
CREATE TRIGGER bo_hr_employee_versions_no_delete BEFORE DELETE ON bo_hr_employee_versions
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_employee_versions rows are immutable'); END;
CREATE TRIGGER bo_hr_contracts_no_update BEFORE UPDATE ON bo_hr_contracts
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_contracts rows are immutable'); END;
CREATE TRIGGER bo_hr_contracts_no_delete BEFORE DELETE ON bo_hr_contracts
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_contracts rows are immutable'); END;
CREATE TRIGGER bo_hr_tax_profiles_no_update BEFORE UPDATE ON bo_hr_tax_profiles
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_tax_profiles rows are immutable'); END;
CREATE TRIGGER bo_hr_tax_profiles_no_delete BEFORE DELETE ON bo_hr_tax_profiles
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_tax_profiles rows are immutable'); END;
CREATE TRIGGER bo_hr_time_no_update BEFORE UPDATE ON bo_hr_time
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_time rows are immutable'); END;
CREATE TRIGGER bo_hr_time_no_delete BEFORE DELETE ON bo_hr_time
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_time rows are immutable'); END;
CREATE TRIGGER bo_hr_absences_no_update BEFORE UPDATE ON bo_hr_absences
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_absences rows are immutable'); END;
CREATE TRIGGER bo_hr_absences_no_delete BEFORE DELETE ON bo_hr_absences
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_absences rows are immutable'); END;
CREATE TRIGGER bo_hr_items_no_update BEFORE UPDATE ON bo_hr_items
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_items rows are immutable'); END;
CREATE TRIGGER bo_hr_items_no_delete BEFORE DELETE ON bo_hr_items
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_hr_items rows are immutable'); END;
