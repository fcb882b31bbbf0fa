-- Customers, suppliers, invoices, open items and dunning (package partners).
--
-- Party versions, invoices, moves, payments and dunning runs are appended
-- and never changed: the triggers at the end refuse UPDATE and DELETE. An
-- open item is appended too, and only what the store derives from its moves
-- and dunning runs may change: open (its amount less its moves), moves (how
-- many it has, which numbers them), dunning_level and last_dunned. Settings
-- and number series are state, replaced in place.
--
-- Amounts are INTEGER minor units with their currency code beside them (NULL
-- and '' for the zero amount without currency); rates are exact decimal
-- TEXT as shopspring/decimal writes it ('0.125'; '' for zero), never REAL.
-- Nested structures (invoice lines, VAT lines and shares, allocations,
-- notices) are JSON text in the store's own form: amounts as "1234.56 EUR",
-- decimals as text, never JSON numbers. Dates are 'YYYY-MM-DD' text (NULL
-- for none; the key and aging dates of a party version and an item, which
-- are never NULL, store "none" as '0001-01-01'), times Unix microseconds.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_ar_parties (
    book           TEXT NOT NULL CHECK (book <> ''),
    number         TEXT NOT NULL CHECK (number <> ''),
    valid_from     TEXT NOT NULL CHECK (length(valid_from) = 10),
    recorded_at    INTEGER NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('customer', 'supplier')),
    name           TEXT NOT NULL,
    street         TEXT NOT NULL,
    postal_code    TEXT NOT NULL,
    city           TEXT NOT NULL,
    country        TEXT NOT NULL,
    vat_id         TEXT NOT NULL,
    iban           TEXT NOT NULL,
    bic            TEXT NOT NULL,
    routing_number TEXT NOT NULL,
    account_number TEXT NOT NULL,
    net_days       INTEGER NOT NULL,
    discount_days  INTEGER NOT NULL,
    discount_rate  TEXT NOT NULL,
    dunning        TEXT NOT NULL,
    consumer       INTEGER NOT NULL CHECK (consumer IN (0, 1)),
    PRIMARY KEY (book, number, valid_from, recorded_at)
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_ar_settings (
    book          TEXT PRIMARY KEY CHECK (book <> ''),
    line_rounding INTEGER NOT NULL CHECK (line_rounding IN (0, 1))
) STRICT, WITHOUT ROWID;

-- The last number drawn from each series: the row is the lock that keeps
-- the numbers of a series gapless.
CREATE TABLE bo_ar_series (
    book   TEXT NOT NULL CHECK (book <> ''),
    series TEXT NOT NULL,
    last   INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (book, series)
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_ar_invoices (
    book            TEXT NOT NULL CHECK (book <> ''),
    number          TEXT NOT NULL CHECK (number <> ''),
    key             TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    series          TEXT NOT NULL,
    party           TEXT NOT NULL,
    date            TEXT CHECK (length(date) = 10),
    due_date        TEXT CHECK (length(due_date) = 10),
    discount_date   TEXT CHECK (length(discount_date) = 10),
    discount_rate   TEXT NOT NULL,
    currency        TEXT NOT NULL,
    reference       TEXT NOT NULL,
    corrects        TEXT NOT NULL,
    text            TEXT NOT NULL,
    lines           TEXT CHECK (json_type(lines) = 'array'),     -- NULL for none
    amount_currency TEXT NOT NULL,                               -- of net, vat and gross
    net             INTEGER,
    vat             INTEGER,
    gross           INTEGER,
    vat_lines       TEXT CHECK (json_type(vat_lines) = 'array'), -- NULL for none
    entry           INTEGER NOT NULL CHECK (entry >= 0),
    posted_at       INTEGER,
    PRIMARY KEY (book, number),
    UNIQUE (book, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX bo_ar_invoices_party ON bo_ar_invoices (book, party, number);

CREATE TABLE bo_ar_items (
    book          TEXT NOT NULL CHECK (book <> ''),
    id            TEXT NOT NULL CHECK (id <> ''),
    party         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('receivable', 'payable')),
    invoice       TEXT NOT NULL,
    date          TEXT NOT NULL CHECK (length(date) = 10),
    due_date      TEXT NOT NULL CHECK (length(due_date) = 10),
    discount_date TEXT CHECK (length(discount_date) = 10),
    discount_rate TEXT NOT NULL,
    currency      TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    open          INTEGER NOT NULL CHECK (open >= 0),
    vat           TEXT CHECK (json_type(vat) = 'array'), -- NULL for none
    entry         INTEGER NOT NULL CHECK (entry >= 0),
    account       TEXT NOT NULL,
    text          TEXT NOT NULL,
    moves         INTEGER NOT NULL DEFAULT 0 CHECK (moves >= 0),
    dunning_level INTEGER NOT NULL DEFAULT 0 CHECK (dunning_level >= 0),
    last_dunned   TEXT CHECK (length(last_dunned) = 10),
    PRIMARY KEY (book, id)
) STRICT, WITHOUT ROWID;
-- Items (q.Party) in their order: party, due date, ID.
CREATE INDEX bo_ar_items_party ON bo_ar_items (book, party, due_date);
-- Aging: covers its aggregate over the items with something open, in the
-- order of its groups; settled items drop out of it.
CREATE INDEX bo_ar_items_aging ON bo_ar_items (book, kind, party, currency, due_date, open, date) WHERE open <> 0;
-- The latest item of a book (Aging's and Items' fast path).
CREATE INDEX bo_ar_items_date ON bo_ar_items (book, date);

CREATE TABLE bo_ar_moves (
    book     TEXT NOT NULL,
    item     TEXT NOT NULL,
    n        INTEGER NOT NULL CHECK (n > 0), -- the item's nth move
    kind     TEXT NOT NULL CHECK (kind IN ('payment', 'discount', 'writeoff', 'credit')),
    date     TEXT NOT NULL CHECK (length(date) = 10),
    amount   INTEGER NOT NULL,
    currency TEXT NOT NULL,
    entry    INTEGER NOT NULL CHECK (entry >= 0),
    ref      TEXT NOT NULL,
    PRIMARY KEY (book, item, n),
    FOREIGN KEY (book, item) REFERENCES bo_ar_items (book, id)
) STRICT, WITHOUT ROWID;
-- Moves by date, and what the items had open on a past day (Aging, Items).
CREATE INDEX bo_ar_moves_date ON bo_ar_moves (book, date, item, amount);

CREATE TABLE bo_ar_payments (
    book          TEXT NOT NULL CHECK (book <> ''),
    key           TEXT NOT NULL CHECK (key <> ''),
    party         TEXT NOT NULL,
    date          TEXT CHECK (length(date) = 10),
    account       TEXT NOT NULL,
    amount        INTEGER,
    currency      TEXT NOT NULL,
    end_to_end_id TEXT NOT NULL,
    text          TEXT NOT NULL,
    allocations   TEXT CHECK (json_type(allocations) = 'array'), -- NULL for none
    entry         INTEGER NOT NULL CHECK (entry >= 0),
    posted_at     INTEGER,
    PRIMARY KEY (book, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE bo_ar_dunning (
    book       TEXT NOT NULL CHECK (book <> ''),
    date       TEXT NOT NULL CHECK (length(date) = 10),
    notices    TEXT CHECK (json_type(notices) = 'array'), -- NULL for none
    created_at INTEGER,
    PRIMARY KEY (book, date)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER bo_ar_parties_no_update BEFORE UPDATE ON bo_ar_parties
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_parties rows are immutable'); END;
CREATE TRIGGER bo_ar_parties_no_delete BEFORE DELETE ON bo_ar_parties
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_parties rows are immutable'); END;
CREATE TRIGGER bo_ar_invoices_no_update BEFORE UPDATE ON bo_ar_invoices
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_invoices rows are immutable'); END;
CREATE TRIGGER bo_ar_invoices_no_delete BEFORE DELETE ON bo_ar_invoices
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_invoices rows are immutable'); END;
CREATE TRIGGER bo_ar_moves_no_update BEFORE UPDATE ON bo_ar_moves
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_moves rows are immutable'); END;
CREATE TRIGGER bo_ar_moves_no_delete BEFORE DELETE ON bo_ar_moves
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_moves rows are immutable'); END;
CREATE TRIGGER bo_ar_payments_no_update BEFORE UPDATE ON bo_ar_payments
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_payments rows are immutable'); END;
CREATE TRIGGER bo_ar_payments_no_delete BEFORE DELETE ON bo_ar_payments
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_payments rows are immutable'); END;
CREATE TRIGGER bo_ar_dunning_no_update BEFORE UPDATE ON bo_ar_dunning
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_dunning rows are immutable'); END;
CREATE TRIGGER bo_ar_dunning_no_delete BEFORE DELETE ON bo_ar_dunning
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_dunning rows are immutable'); END;
CREATE TRIGGER bo_ar_items_no_delete BEFORE DELETE ON bo_ar_items
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_ar_items rows are never deleted'); END;

-- An item keeps what it was opened with: only what derives from its moves
-- and dunning runs changes.
CREATE TRIGGER bo_ar_items_derived_only BEFORE UPDATE ON bo_ar_items
WHEN NEW.book IS NOT OLD.book OR NEW.id IS NOT OLD.id OR NEW.party IS NOT OLD.party OR
     NEW.kind IS NOT OLD.kind OR NEW.invoice IS NOT OLD.invoice OR NEW.date IS NOT OLD.date OR
     NEW.due_date IS NOT OLD.due_date OR NEW.discount_date IS NOT OLD.discount_date OR
     NEW.discount_rate IS NOT OLD.discount_rate OR NEW.currency IS NOT OLD.currency OR
     NEW.amount IS NOT OLD.amount OR NEW.vat IS NOT OLD.vat OR NEW.entry IS NOT OLD.entry OR
     NEW.account IS NOT OLD.account OR NEW.text IS NOT OLD.text OR NEW.moves < OLD.moves
BEGIN SELECT RAISE(ABORT, 'backoffice: an open item keeps what it was opened with'); END;
