-- Bank statements, their lines and the lines' matches to ledger entries
-- (package bank/reconcile). All three are appended and never changed: the
-- triggers at the end refuse UPDATE and DELETE.
--
-- Amounts are INTEGER minor units of the statement's currency; dates are
-- 'YYYY-MM-DD' text (NULL for none), times Unix microseconds. A line's
-- end-to-end IDs are one text, joined by newlines ('' for none).
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_bank_statements (
    book         TEXT NOT NULL CHECK (book <> ''),
    account      TEXT NOT NULL CHECK (account <> ''),
    id           TEXT NOT NULL CHECK (id <> ''),
    bank_account TEXT NOT NULL,
    currency     TEXT NOT NULL,
    balances     INTEGER NOT NULL CHECK (balances IN (0, 1)),
    opening      INTEGER NOT NULL,
    closing      INTEGER NOT NULL,
    opening_date TEXT CHECK (length(opening_date) = 10),
    closing_date TEXT CHECK (length(closing_date) = 10),
    format       TEXT NOT NULL,
    lines        INTEGER NOT NULL CHECK (lines >= 0),
    digest       BLOB NOT NULL CHECK (length(digest) = 32),
    imported_at  INTEGER NOT NULL,
    PRIMARY KEY (book, account, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_bank_lines (
    book                 TEXT NOT NULL,
    account              TEXT NOT NULL,
    ref                  TEXT NOT NULL CHECK (ref <> ''),
    statement            TEXT NOT NULL,
    n                    INTEGER NOT NULL CHECK (n > 0),
    booked               TEXT NOT NULL CHECK (length(booked) = 10),
    value_date           TEXT CHECK (length(value_date) = 10),
    amount               INTEGER NOT NULL,
    end_to_end           TEXT NOT NULL,
    counterparty         TEXT NOT NULL,
    counterparty_account TEXT NOT NULL,
    text                 TEXT NOT NULL,
    PRIMARY KEY (book, account, ref),
    FOREIGN KEY (book, account, statement) REFERENCES bo_bank_statements (book, account, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX bo_bank_lines_booked ON bo_bank_lines (book, account, booked, statement, n);

CREATE TABLE bo_bank_matches (
    book       TEXT NOT NULL,
    account    TEXT NOT NULL,
    ref        TEXT NOT NULL,
    entry      INTEGER NOT NULL CHECK (entry > 0),
    rule       TEXT NOT NULL,
    matched_at INTEGER NOT NULL,
    PRIMARY KEY (book, account, ref),
    FOREIGN KEY (book, account, ref) REFERENCES bo_bank_lines (book, account, ref)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER bo_bank_statements_no_update BEFORE UPDATE ON bo_bank_statements
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_bank_statements rows are never changed'); END;
CREATE TRIGGER bo_bank_statements_no_delete BEFORE DELETE ON bo_bank_statements
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_bank_statements rows are never deleted'); END;
CREATE TRIGGER bo_bank_lines_no_update BEFORE UPDATE ON bo_bank_lines
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_bank_lines rows are never changed'); END;
CREATE TRIGGER bo_bank_lines_no_delete BEFORE DELETE ON bo_bank_lines
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_bank_lines rows are never deleted'); END;
CREATE TRIGGER bo_bank_matches_no_update BEFORE UPDATE ON bo_bank_matches
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_bank_matches rows are never changed'); END;
CREATE TRIGGER bo_bank_matches_no_delete BEFORE DELETE ON bo_bank_matches
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_bank_matches rows are never deleted'); END;
