-- The commit check of the chain (bo_check_chain) reads the stretch the
-- transaction added through the primary keys, whatever the statistics say.
-- 0003's per-sequence-number probes still left the planner the choice of
-- index: when bo_entries and bo_postings were last analyzed before a book
-- existed, it expects no row of the book, both (book, …) indexes cost the
-- same, and it took the smaller (book, date) one, filtering on seq, once per
-- entry of the stretch: a commit of n entries to a book read the book n
-- times (a COPY of 280,000 postings into a new book stalled in its COMMIT
-- for minutes; docs/BENCHMARKS.md, books bench). A range on seq alone (0002)
-- leaves the same choice: 0003 saw it take bo_entries' (book, date) index
-- on a new book and read the whole book at every commit.
-- Each table is now read by one range on (book, seq) in primary-key order,
-- and the function plans with sorting disabled: only the primary key
-- yields that order without a sort, so every other path is priced out,
-- with or without statistics. The aggregates hash instead of sorting.
-- The rules, messages and SQLSTATEs are those of 0013.
-- Released: never edit; add a new numbered file instead.

CREATE OR REPLACE FUNCTION bo_check_chain() RETURNS trigger LANGUAGE plpgsql
SET enable_sort = off AS $$
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
      FROM (SELECT x.seq, x.hash FROM bo_entries x
             WHERE x.book = NEW.id AND x.seq > OLD.head_seq AND x.seq <= NEW.head_seq
             ORDER BY x.seq) e;
    IF n <> NEW.head_seq - OLD.head_seq THEN
        RAISE EXCEPTION 'backoffice: gap in the chain' USING ERRCODE = 'BO004';
    END IF;
    IF NOT head_ok THEN
        RAISE EXCEPTION 'backoffice: chain head does not match its entry' USING ERRCODE = 'BO004';
    END IF;
    -- The stretch's postings are read once, in primary-key order.
    WITH p AS MATERIALIZED (
        SELECT y.seq, y.currency, y.amount, y.base FROM bo_postings y
         WHERE y.book = NEW.id AND y.seq > OLD.head_seq AND y.seq <= NEW.head_seq
         ORDER BY y.seq, y.line)
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
