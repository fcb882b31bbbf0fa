-- The ledger: books, chart, entries and their postings, periods, and the
-- balances and totals maintained on every append. Amounts are INTEGER minor
-- units; CHECK (typeof(…) = 'integer') refuses the REAL that SQLite would
-- silently turn an overflowing sum into. Dates are 'YYYY-MM-DD' text, times
-- Unix microseconds.
-- The append-only tables carry no FOREIGN KEY constraints, which cost a
-- lookup per row; moving the chain head checks the same references once per
-- append (migrations/0002_guards.sql).
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_currencies (
    code  TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 7 AND code NOT GLOB '*[^A-Z0-9]*'),
    minor INTEGER NOT NULL CHECK (minor BETWEEN 0 AND 18)
) STRICT;

CREATE TABLE bo_books (
    id        TEXT PRIMARY KEY CHECK (id <> ''),
    name      TEXT NOT NULL,
    currency  TEXT NOT NULL CHECK (currency <> ''),
    fy_start  INTEGER NOT NULL CHECK (fy_start BETWEEN 0 AND 12),
    lock_date TEXT,
    version   INTEGER NOT NULL,
    head_seq  INTEGER NOT NULL CHECK (head_seq >= 0),
    head_hash BLOB NOT NULL CHECK (length(head_hash) = 32)
) STRICT;

CREATE TABLE bo_accounts (
    book        TEXT NOT NULL REFERENCES bo_books (id),
    code        TEXT NOT NULL CHECK (code <> ''),
    name        TEXT NOT NULL,
    type        INTEGER NOT NULL CHECK (type BETWEEN 1 AND 5),
    parent      TEXT CHECK (parent <> code),
    currency    TEXT,
    closed      INTEGER NOT NULL CHECK (closed IN (0, 1)),
    min_balance TEXT,
    max_balance TEXT,
    metadata    TEXT,
    PRIMARY KEY (book, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_entries (
    book        TEXT NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq > 0),
    key         TEXT CHECK (key <> ''),
    date        TEXT NOT NULL CHECK (length(date) = 10),
    description TEXT NOT NULL,
    voucher     TEXT NOT NULL,
    journal     TEXT NOT NULL,
    reverses    INTEGER NOT NULL CHECK (reverses >= 0 AND reverses < seq),
    adjusts     INTEGER NOT NULL CHECK (adjusts >= 0 AND adjusts < seq),
    metadata    TEXT,
    recorded_at INTEGER NOT NULL,
    digest      BLOB NOT NULL CHECK (length(digest) = 32),
    hash        BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (book, seq),
    UNIQUE (book, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX bo_entries_date ON bo_entries (book, date);
CREATE INDEX bo_entries_voucher ON bo_entries (book, voucher) WHERE voucher <> '';
CREATE INDEX bo_entries_journal ON bo_entries (book, journal, seq) WHERE journal <> ''; -- '' (GL) is never a filter

CREATE TABLE bo_postings (
    book     TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    line     INTEGER NOT NULL CHECK (line >= 0),
    account  TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount   INTEGER NOT NULL CHECK (amount <> 0),
    memo     TEXT NOT NULL,
    dims     TEXT,
    date     TEXT NOT NULL,
    closing  INTEGER NOT NULL CHECK (closing IN (0, 1)),
    PRIMARY KEY (book, seq, line)
) STRICT, WITHOUT ROWID;
CREATE INDEX bo_postings_account ON bo_postings (book, account, seq);

CREATE TABLE bo_dims (
    book  TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    line  INTEGER NOT NULL,
    name  TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (book, name, value, seq, line)
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_balances (
    book     TEXT NOT NULL,
    account  TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance  INTEGER NOT NULL CONSTRAINT bo_overflow CHECK (typeof(balance) = 'integer' AND balance <> -9223372036854775808),
    PRIMARY KEY (book, account, currency),
    FOREIGN KEY (book, account) REFERENCES bo_accounts (book, code)
) STRICT, WITHOUT ROWID;

-- Debit and credit sums per account, currency and bucket: level 1 a month
-- (year*12 + month-1), level 2 a year; see the PostgreSQL schema.
CREATE TABLE bo_totals (
    book     TEXT NOT NULL,
    account  TEXT NOT NULL,
    currency TEXT NOT NULL,
    level    INTEGER NOT NULL CHECK (level BETWEEN 1 AND 2),
    bucket   INTEGER NOT NULL,
    closing  INTEGER NOT NULL CHECK (closing IN (0, 1)),
    debit    INTEGER NOT NULL CONSTRAINT bo_overflow CHECK (typeof(debit) = 'integer' AND debit >= 0),
    credit   INTEGER NOT NULL CONSTRAINT bo_overflow CHECK (typeof(credit) = 'integer' AND credit >= 0),
    PRIMARY KEY (book, account, currency, level, bucket, closing)
) STRICT, WITHOUT ROWID;
CREATE INDEX bo_totals_bucket ON bo_totals (book, level, bucket);

CREATE TABLE bo_period_events (
    book        TEXT NOT NULL REFERENCES bo_books (id),
    ord         INTEGER NOT NULL CHECK (ord > 0),
    fiscal_year INTEGER NOT NULL,
    number      INTEGER NOT NULL CHECK (number BETWEEN 1 AND 12),
    state       INTEGER NOT NULL CHECK (state BETWEEN 0 AND 2),
    at          INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (book, ord)
) STRICT;
CREATE INDEX bo_period_events_period ON bo_period_events (book, fiscal_year, number, ord);
