-- The ledger: books, chart, entries and their postings, periods, and the
-- balances and totals maintained on every append. Text keys use the "C"
-- collation so that ORDER BY sorts byte-wise, as the Go side does.
-- The append-only tables (bo_entries, bo_postings, bo_dims, bo_totals)
-- carry no FOREIGN KEY constraints: a per-row check costs more than the COPY
-- that loads the row. migrations/0002_guards.sql checks the same references
-- once per statement instead.
-- Released: never edit; add a new numbered file instead.

CREATE SEQUENCE bo_version;

CREATE TABLE bo_currencies (
    code  TEXT COLLATE "C" PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{1,7}$'),
    minor SMALLINT NOT NULL CHECK (minor BETWEEN 0 AND 18)
);

CREATE TABLE bo_books (
    id        TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    name      TEXT NOT NULL,
    currency  TEXT COLLATE "C" NOT NULL CHECK (currency <> ''),
    fy_start  SMALLINT NOT NULL CHECK (fy_start BETWEEN 0 AND 12),
    lock_date DATE,
    version   BIGINT NOT NULL,
    head_seq  BIGINT NOT NULL CHECK (head_seq >= 0),
    head_hash BYTEA NOT NULL CHECK (length(head_hash) = 32)
);

CREATE TABLE bo_accounts (
    book        TEXT COLLATE "C" NOT NULL REFERENCES bo_books (id),
    code        TEXT COLLATE "C" NOT NULL CHECK (code <> ''),
    name        TEXT NOT NULL,
    type        SMALLINT NOT NULL CHECK (type BETWEEN 1 AND 5),
    parent      TEXT COLLATE "C" CHECK (parent <> code),
    currency    TEXT COLLATE "C",
    closed      BOOLEAN NOT NULL,
    min_balance NUMERIC,
    max_balance NUMERIC,
    metadata    JSONB,
    PRIMARY KEY (book, code),
    CHECK (min_balance IS NULL OR max_balance IS NULL OR min_balance <= max_balance)
);

CREATE TABLE bo_entries (
    book        TEXT COLLATE "C" NOT NULL,
    seq         BIGINT NOT NULL CHECK (seq > 0),
    key         TEXT COLLATE "C" CHECK (key <> ''),
    date        DATE NOT NULL,
    description TEXT NOT NULL,
    voucher     TEXT COLLATE "C" NOT NULL,
    journal     TEXT COLLATE "C" NOT NULL,
    reverses    BIGINT NOT NULL CHECK (reverses >= 0 AND reverses < seq),
    adjusts     BIGINT NOT NULL CHECK (adjusts >= 0 AND adjusts < seq),
    metadata    JSONB,
    recorded_at TIMESTAMPTZ NOT NULL,
    digest      BYTEA NOT NULL CHECK (length(digest) = 32),
    hash        BYTEA NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (book, seq),
    UNIQUE (book, key)
);
CREATE INDEX bo_entries_date ON bo_entries (book, date);
CREATE INDEX bo_entries_voucher ON bo_entries (book, voucher) WHERE voucher <> '';
CREATE INDEX bo_entries_journal ON bo_entries (book, journal, seq) WHERE journal <> ''; -- '' (GL) is never a filter

CREATE TABLE bo_postings (
    book     TEXT COLLATE "C" NOT NULL,
    seq      BIGINT NOT NULL,
    line     INTEGER NOT NULL CHECK (line >= 0),
    account  TEXT COLLATE "C" NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    amount   NUMERIC NOT NULL CHECK (amount <> 0),
    memo     TEXT NOT NULL,
    dims     JSONB,
    date     DATE NOT NULL,     -- the entry's, for dimension totals
    closing  BOOLEAN NOT NULL,  -- the entry is a year-end closing entry
    PRIMARY KEY (book, seq, line)
);
CREATE INDEX bo_postings_account ON bo_postings (book, account, seq);
CREATE INDEX bo_postings_date ON bo_postings (book, date);

CREATE TABLE bo_dims (
    book  TEXT COLLATE "C" NOT NULL,
    seq   BIGINT NOT NULL,
    line  INTEGER NOT NULL,
    name  TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (book, name, value, seq, line)
);

-- Current balance per account and currency, in minor units, debit positive.
CREATE TABLE bo_balances (
    book     TEXT COLLATE "C" NOT NULL,
    account  TEXT COLLATE "C" NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    balance  BIGINT NOT NULL CONSTRAINT bo_overflow CHECK (balance <> -9223372036854775808),
    PRIMARY KEY (book, account, currency),
    FOREIGN KEY (book, account) REFERENCES bo_accounts (book, code)
);

-- Debit and credit sums in minor units per account, currency and bucket:
-- level 1 a month (year*12 + month-1), level 2 a year. Year-end closing
-- entries are summed apart. Days of a month cut by a query's range are
-- summed from bo_postings instead: a day level would cost more rows per
-- append than it saves in rare mid-month queries.
CREATE TABLE bo_totals (
    book     TEXT COLLATE "C" NOT NULL,
    account  TEXT COLLATE "C" NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    level    SMALLINT NOT NULL CHECK (level BETWEEN 1 AND 2),
    bucket   BIGINT NOT NULL,
    closing  BOOLEAN NOT NULL,
    debit    BIGINT NOT NULL CHECK (debit >= 0),
    credit   BIGINT NOT NULL CHECK (credit >= 0),
    PRIMARY KEY (book, account, currency, level, bucket, closing)
);
CREATE INDEX bo_totals_bucket ON bo_totals (book, level, bucket);

CREATE TABLE bo_period_events (
    book        TEXT COLLATE "C" NOT NULL REFERENCES bo_books (id),
    ord         INTEGER NOT NULL CHECK (ord > 0),
    fiscal_year INTEGER NOT NULL,
    number      SMALLINT NOT NULL CHECK (number BETWEEN 1 AND 12),
    state       SMALLINT NOT NULL CHECK (state BETWEEN 0 AND 2),
    at          TIMESTAMPTZ NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (book, ord)
);
CREATE INDEX bo_period_events_period ON bo_period_events (book, fiscal_year, number, ord);
