-- Bank statements, their lines and the lines' matches to ledger entries
-- (package bank/reconcile). All three are appended and never changed: the
-- triggers at the end refuse UPDATE and DELETE.
--
-- Amounts are BIGINT minor units of the statement's currency; dates are
-- DATE (NULL for none), times Unix microseconds. A line's
-- end-to-end IDs are one text, joined by newlines ('' for none).
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_bank_statements (
    book         TEXT NOT NULL CHECK (book <> ''),
    account      TEXT NOT NULL CHECK (account <> ''),
    id           TEXT NOT NULL CHECK (id <> ''),
    bank_account TEXT NOT NULL,
    currency     TEXT NOT NULL,
    balances     INTEGER NOT NULL CHECK (balances IN (0, 1)),
    opening      BIGINT NOT NULL,
    closing      BIGINT NOT NULL,
    opening_date DATE,
    closing_date DATE,
    format       TEXT NOT NULL,
    lines        INTEGER NOT NULL CHECK (lines >= 0),
    digest       BYTEA NOT NULL CHECK (length(digest) = 32),
    imported_at  BIGINT NOT NULL,
    PRIMARY KEY (book, account, id)
);

CREATE TABLE bo_bank_lines (
    book                 TEXT NOT NULL,
    account              TEXT NOT NULL,
    ref                  TEXT NOT NULL CHECK (ref <> ''),
    statement            TEXT NOT NULL,
    n                    INTEGER NOT NULL CHECK (n > 0),
    booked               DATE NOT NULL,
    value_date           DATE,
    amount               BIGINT NOT NULL,
    end_to_end           TEXT NOT NULL,
    counterparty         TEXT NOT NULL,
    counterparty_account TEXT NOT NULL,
    text                 TEXT NOT NULL,
    PRIMARY KEY (book, account, ref),
    FOREIGN KEY (book, account, statement) REFERENCES bo_bank_statements (book, account, id)
);

CREATE INDEX bo_bank_lines_booked ON bo_bank_lines (book, account, booked, statement, n);

CREATE TABLE bo_bank_matches (
    book       TEXT NOT NULL,
    account    TEXT NOT NULL,
    ref        TEXT NOT NULL,
    entry      BIGINT NOT NULL CHECK (entry > 0),
    rule       TEXT NOT NULL,
    matched_at BIGINT NOT NULL,
    PRIMARY KEY (book, account, ref),
    FOREIGN KEY (book, account, ref) REFERENCES bo_bank_lines (book, account, ref)
);

CREATE FUNCTION bo_bank_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'backoffice: % rows are never changed or deleted', TG_TABLE_NAME;
END $$;
CREATE TRIGGER bo_bank_statements_guard BEFORE UPDATE OR DELETE ON bo_bank_statements
    FOR EACH ROW EXECUTE FUNCTION bo_bank_guard();
CREATE TRIGGER bo_bank_lines_guard BEFORE UPDATE OR DELETE ON bo_bank_lines
    FOR EACH ROW EXECUTE FUNCTION bo_bank_guard();
CREATE TRIGGER bo_bank_matches_guard BEFORE UPDATE OR DELETE ON bo_bank_matches
    FOR EACH ROW EXECUTE FUNCTION bo_bank_guard();
