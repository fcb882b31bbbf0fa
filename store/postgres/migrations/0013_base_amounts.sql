-- Base amounts (multi-currency books): a posting in a currency other than
-- its book's base currency may carry its value in the base currency as
-- booked (NULL: not converted). The totals sum those base amounts per side
-- (base_debit, base_credit, minor units) and the amounts of the postings
-- that carry one (conv_debit, conv_credit), so a report in the base
-- currency knows whether every posting of a row is converted. Existing
-- rows need nothing: no posting carried a base amount. Adding columns
-- with constant defaults rewrites no table.
-- An entry with base amounts balances in the base currency, not per
-- currency, so the balance rule of the guards becomes: per entry, the base
-- amounts plus the amounts in the book's currency without one sum to zero,
-- and in every other currency the amounts without one sum to zero.
-- Released: never edit; add a new numbered file instead.

ALTER TABLE bo_postings ADD COLUMN base NUMERIC;
ALTER TABLE bo_totals
    ADD COLUMN base_debit  BIGINT NOT NULL DEFAULT 0 CHECK (base_debit >= 0),
    ADD COLUMN base_credit BIGINT NOT NULL DEFAULT 0 CHECK (base_credit >= 0),
    ADD COLUMN conv_debit  BIGINT NOT NULL DEFAULT 0 CHECK (conv_debit >= 0),
    ADD COLUMN conv_credit BIGINT NOT NULL DEFAULT 0 CHECK (conv_credit >= 0);

-- Totals only grow, in their base sums too.
CREATE OR REPLACE FUNCTION bo_totals_only_grow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.book, NEW.account, NEW.currency, NEW.level, NEW.bucket, NEW.closing)
       IS DISTINCT FROM (OLD.book, OLD.account, OLD.currency, OLD.level, OLD.bucket, OLD.closing)
       OR NEW.debit < OLD.debit OR NEW.credit < OLD.credit
       OR NEW.base_debit < OLD.base_debit OR NEW.base_credit < OLD.base_credit
       OR NEW.conv_debit < OLD.conv_debit OR NEW.conv_credit < OLD.conv_credit THEN
        RAISE EXCEPTION 'backoffice: bo_totals rows are maintained by the ledger' USING ERRCODE = 'BO001';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION bo_postings_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n JOIN bo_books b ON b.id = n.book
               WHERE n.base IS NULL AND n.currency <> b.currency
               GROUP BY n.book, n.seq, n.currency HAVING sum(n.amount) <> 0)
       OR EXISTS (SELECT 1 FROM new_rows n JOIN bo_books b ON b.id = n.book
                  GROUP BY n.book, n.seq
                  HAVING sum(CASE WHEN n.base IS NOT NULL THEN n.base
                                  WHEN n.currency = b.currency THEN n.amount ELSE 0 END) <> 0) THEN
        RAISE EXCEPTION 'backoffice: unbalanced entry' USING ERRCODE = 'BO003';
    END IF;
    -- One probe per entry, not per posting: the lines of an entry share
    -- its book and sequence number.
    IF EXISTS (SELECT 1 FROM (SELECT book, max(seq) AS seq FROM new_rows GROUP BY book) n
               WHERE NOT coalesce(n.seq <= (SELECT b.head_seq FROM bo_books b WHERE b.id = n.book), false)) THEN
        RAISE EXCEPTION 'backoffice: posting beyond its book''s chain head' USING ERRCODE = 'BO002';
    END IF;
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT book, account FROM new_rows) n
               WHERE (SELECT true FROM bo_accounts a WHERE a.book = n.book AND a.code = n.account) IS NULL) THEN
        RAISE EXCEPTION 'backoffice: posting to an account not in the chart' USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION bo_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n       BIGINT;  -- entries in the stretch
    head_ok BOOLEAN; -- the last of them carries the head's hash
    lines2  BIGINT;  -- entries in the stretch with two lines or more
    unbal   BOOLEAN; -- an entry of the stretch does not balance in a currency
BEGIN
    IF NEW.head_seq < OLD.head_seq THEN
        RAISE EXCEPTION 'backoffice: chain head moved back' USING ERRCODE = 'BO004';
    END IF;
    SELECT count(*), coalesce(bool_or(e.seq = NEW.head_seq AND e.hash = NEW.head_hash), false)
      INTO n, head_ok
      FROM generate_series(OLD.head_seq + 1, NEW.head_seq) AS s(n)
     CROSS JOIN LATERAL (SELECT x.seq, x.hash FROM bo_entries x
                          WHERE x.book = NEW.id AND x.seq = s.n OFFSET 0) e;
    IF n <> NEW.head_seq - OLD.head_seq THEN
        RAISE EXCEPTION 'backoffice: gap in the chain' USING ERRCODE = 'BO004';
    END IF;
    IF NOT head_ok THEN
        RAISE EXCEPTION 'backoffice: chain head does not match its entry' USING ERRCODE = 'BO004';
    END IF;
    -- The stretch's postings are read once (a CTE named twice is
    -- materialized), probing the primary key per sequence number.
    WITH p AS (SELECT x.seq, x.currency, x.amount, x.base
                 FROM generate_series(OLD.head_seq + 1, NEW.head_seq) AS s(n)
                CROSS JOIN LATERAL (SELECT y.seq, y.currency, y.amount, y.base FROM bo_postings y
                                     WHERE y.book = NEW.id AND y.seq = s.n OFFSET 0) x)
    SELECT count(*) FILTER (WHERE lines >= 2), coalesce(bool_or(unbalanced), false)
      INTO lines2, unbal
      FROM (SELECT seq, sum(k) AS lines, bool_or(coalesce(total, 0) <> 0) AS unbalanced
              FROM (-- Per currency: the amounts without a base amount, but
                    -- in the book's currency, which counts in the base row.
                    SELECT seq, count(*) AS k,
                           sum(amount) FILTER (WHERE base IS NULL AND currency <> NEW.currency) AS total
                      FROM p GROUP BY seq, currency
                    UNION ALL
                    -- In the base currency: the base amounts, and the
                    -- amounts in the book's currency.
                    SELECT seq, 0, sum(CASE WHEN base IS NOT NULL THEN base
                                            WHEN currency = NEW.currency THEN amount ELSE 0 END)
                      FROM p GROUP BY seq) per_currency
             GROUP BY seq) per_entry;
    IF lines2 <> n THEN
        RAISE EXCEPTION 'backoffice: entry with fewer than two lines' USING ERRCODE = 'BO003';
    END IF;
    IF unbal THEN
        RAISE EXCEPTION 'backoffice: unbalanced entry' USING ERRCODE = 'BO003';
    END IF;
    RETURN NULL;
END $$;
