-- Customers, suppliers, invoices, open items and dunning (package partners).
--
-- Party versions, invoices, moves, payments and dunning runs are appended
-- and never changed: the triggers at the end refuse UPDATE, DELETE and
-- TRUNCATE. An open item is appended too, and only what the store derives
-- from its moves and dunning runs may change: open (its amount less its
-- moves), moves (how many it has, which numbers them), dunning_level and
-- last_dunned. Settings and number series are state, replaced in place.
--
-- Amounts are BIGINT minor units with their currency code beside them (NULL
-- and '' for the zero amount without currency), as the ledger's maintained
-- balances and totals: Aging sums a million of them per call, and a SUM of
-- BIGINT (exact, in an int128) is several times cheaper than one of
-- NUMERIC. Rates are exact decimal text as
-- shopspring/decimal writes it ('0.125'; '' for zero), never float. Nested
-- structures (invoice lines, VAT lines and shares, allocations, notices) are
-- JSON in the store's own form: amounts as "1234.56 EUR", decimals as text,
-- never JSON numbers. Dates are DATE (NULL for none; the key and aging dates
-- of a party version and an item, which are never NULL, store "none" as
-- 0001-01-01), times TIMESTAMPTZ. Text keys are COLLATE "C".
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_ar_parties (
    book           TEXT COLLATE "C" NOT NULL CHECK (book <> ''),
    number         TEXT COLLATE "C" NOT NULL CHECK (number <> ''),
    valid_from     DATE NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL,
    role           TEXT COLLATE "C" NOT NULL CHECK (role IN ('customer', 'supplier')),
    name           TEXT NOT NULL,
    street         TEXT NOT NULL,
    postal_code    TEXT NOT NULL,
    city           TEXT NOT NULL,
    country        TEXT COLLATE "C" NOT NULL,
    vat_id         TEXT COLLATE "C" NOT NULL,
    iban           TEXT COLLATE "C" NOT NULL,
    bic            TEXT COLLATE "C" NOT NULL,
    routing_number TEXT COLLATE "C" NOT NULL,
    account_number TEXT COLLATE "C" NOT NULL,
    net_days       INTEGER NOT NULL,
    discount_days  INTEGER NOT NULL,
    discount_rate  TEXT COLLATE "C" NOT NULL,
    dunning        TEXT COLLATE "C" NOT NULL,
    consumer       BOOLEAN NOT NULL,
    PRIMARY KEY (book, number, valid_from, recorded_at)
);

CREATE TABLE bo_ar_settings (
    book          TEXT COLLATE "C" PRIMARY KEY CHECK (book <> ''),
    line_rounding BOOLEAN NOT NULL
);

-- The last number drawn from each series: the row is the lock that keeps
-- the numbers of a series gapless.
CREATE TABLE bo_ar_series (
    book   TEXT COLLATE "C" NOT NULL CHECK (book <> ''),
    series TEXT COLLATE "C" NOT NULL,
    last   BIGINT NOT NULL CHECK (last > 0),
    PRIMARY KEY (book, series)
);

CREATE TABLE bo_ar_invoices (
    book            TEXT COLLATE "C" NOT NULL CHECK (book <> ''),
    number          TEXT COLLATE "C" NOT NULL CHECK (number <> ''),
    key             TEXT COLLATE "C" NOT NULL,
    kind            TEXT COLLATE "C" NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    series          TEXT COLLATE "C" NOT NULL,
    party           TEXT COLLATE "C" NOT NULL,
    date            DATE,
    due_date        DATE,
    discount_date   DATE,
    discount_rate   TEXT COLLATE "C" NOT NULL,
    currency        TEXT COLLATE "C" NOT NULL,
    reference       TEXT NOT NULL,
    corrects        TEXT COLLATE "C" NOT NULL,
    text            TEXT NOT NULL,
    lines           JSONB CHECK (jsonb_typeof(lines) = 'array'),     -- NULL for none
    amount_currency TEXT COLLATE "C" NOT NULL,                       -- of net, vat and gross
    net             BIGINT,
    vat             BIGINT,
    gross           BIGINT,
    vat_lines       JSONB CHECK (jsonb_typeof(vat_lines) = 'array'), -- NULL for none
    entry           BIGINT NOT NULL CHECK (entry >= 0),
    posted_at       TIMESTAMPTZ,
    PRIMARY KEY (book, number),
    UNIQUE (book, key)
);
CREATE INDEX bo_ar_invoices_party ON bo_ar_invoices (book, party, number);

CREATE TABLE bo_ar_items (
    book          TEXT COLLATE "C" NOT NULL CHECK (book <> ''),
    id            TEXT COLLATE "C" NOT NULL CHECK (id <> ''),
    party         TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN ('receivable', 'payable')),
    invoice       TEXT COLLATE "C" NOT NULL,
    date          DATE NOT NULL,
    due_date      DATE NOT NULL,
    discount_date DATE,
    discount_rate TEXT COLLATE "C" NOT NULL,
    currency      TEXT COLLATE "C" NOT NULL,
    amount        BIGINT NOT NULL,
    open          BIGINT NOT NULL CHECK (open >= 0),
    vat           JSONB CHECK (jsonb_typeof(vat) = 'array'), -- NULL for none
    entry         BIGINT NOT NULL CHECK (entry >= 0),
    account       TEXT COLLATE "C" NOT NULL,
    text          TEXT NOT NULL,
    moves         INTEGER NOT NULL DEFAULT 0 CHECK (moves >= 0),
    dunning_level INTEGER NOT NULL DEFAULT 0 CHECK (dunning_level >= 0),
    last_dunned   DATE,
    PRIMARY KEY (book, id)
);
-- Items (q.Party) in their order: party, due date, ID.
CREATE INDEX bo_ar_items_party ON bo_ar_items (book, party, due_date);
-- Aging: covers its aggregate over the items with something open, in the
-- order of its groups; settled items drop out of it.
CREATE INDEX bo_ar_items_aging ON bo_ar_items (book, kind, party, currency, due_date, open, date) WHERE open <> 0;
-- The latest item of a book (Aging's and Items' fast path).
CREATE INDEX bo_ar_items_date ON bo_ar_items (book, date);

CREATE TABLE bo_ar_moves (
    book     TEXT COLLATE "C" NOT NULL,
    item     TEXT COLLATE "C" NOT NULL,
    n        INTEGER NOT NULL CHECK (n > 0), -- the item's nth move
    kind     TEXT COLLATE "C" NOT NULL CHECK (kind IN ('payment', 'discount', 'writeoff', 'credit')),
    date     DATE NOT NULL,
    amount   BIGINT NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    entry    BIGINT NOT NULL CHECK (entry >= 0),
    ref      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (book, item, n),
    FOREIGN KEY (book, item) REFERENCES bo_ar_items (book, id)
);
-- Moves by date, and what the items had open on a past day (Aging, Items).
CREATE INDEX bo_ar_moves_date ON bo_ar_moves (book, date, item, amount);

CREATE TABLE bo_ar_payments (
    book          TEXT COLLATE "C" NOT NULL CHECK (book <> ''),
    key           TEXT COLLATE "C" NOT NULL CHECK (key <> ''),
    party         TEXT COLLATE "C" NOT NULL,
    date          DATE,
    account       TEXT COLLATE "C" NOT NULL,
    amount        BIGINT,
    currency      TEXT COLLATE "C" NOT NULL,
    end_to_end_id TEXT COLLATE "C" NOT NULL,
    text          TEXT NOT NULL,
    allocations   JSONB CHECK (jsonb_typeof(allocations) = 'array'), -- NULL for none
    entry         BIGINT NOT NULL CHECK (entry >= 0),
    posted_at     TIMESTAMPTZ,
    PRIMARY KEY (book, key)
);

CREATE TABLE bo_ar_dunning (
    book       TEXT COLLATE "C" NOT NULL CHECK (book <> ''),
    date       DATE NOT NULL,
    notices    JSONB CHECK (jsonb_typeof(notices) = 'array'), -- NULL for none
    created_at TIMESTAMPTZ,
    PRIMARY KEY (book, date)
);

CREATE TRIGGER bo_ar_parties_immutable BEFORE UPDATE OR DELETE ON bo_ar_parties
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_parties_no_truncate BEFORE TRUNCATE ON bo_ar_parties
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_invoices_immutable BEFORE UPDATE OR DELETE ON bo_ar_invoices
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_invoices_no_truncate BEFORE TRUNCATE ON bo_ar_invoices
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_moves_immutable BEFORE UPDATE OR DELETE ON bo_ar_moves
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_moves_no_truncate BEFORE TRUNCATE ON bo_ar_moves
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_payments_immutable BEFORE UPDATE OR DELETE ON bo_ar_payments
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_payments_no_truncate BEFORE TRUNCATE ON bo_ar_payments
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_dunning_immutable BEFORE UPDATE OR DELETE ON bo_ar_dunning
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_dunning_no_truncate BEFORE TRUNCATE ON bo_ar_dunning
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_items_no_delete BEFORE DELETE ON bo_ar_items
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_ar_items_no_truncate BEFORE TRUNCATE ON bo_ar_items
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();

-- An item keeps what it was opened with: only what derives from its moves
-- and dunning runs changes.
CREATE FUNCTION bo_ar_items_derived_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.book, NEW.id, NEW.party, NEW.kind, NEW.invoice, NEW.date, NEW.due_date, NEW.discount_date,
        NEW.discount_rate, NEW.currency, NEW.amount, NEW.vat, NEW.entry, NEW.account, NEW.text)
       IS DISTINCT FROM
       (OLD.book, OLD.id, OLD.party, OLD.kind, OLD.invoice, OLD.date, OLD.due_date, OLD.discount_date,
        OLD.discount_rate, OLD.currency, OLD.amount, OLD.vat, OLD.entry, OLD.account, OLD.text)
       OR NEW.moves < OLD.moves THEN
        RAISE EXCEPTION 'backoffice: an open item keeps what it was opened with' USING ERRCODE = 'BO001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bo_ar_items_derived_only BEFORE UPDATE ON bo_ar_items
    FOR EACH ROW EXECUTE FUNCTION bo_ar_items_derived_only();
