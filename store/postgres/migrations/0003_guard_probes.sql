-- The statement-level guards of 0002 joined the inserted rows to bo_books,
-- bo_accounts and bo_postings. On a chart or book created moments before
-- (no statistics yet) the planner chose a nested loop over a sequential
-- scan of the joined table: 2 ms per statement for 32 postings on a
-- 1,000-account chart, most of a group commit's time under the book lock.
-- A correlated scalar subquery is never flattened into a join, so each
-- inserted row costs one primary-key probe, whatever the statistics say.
--
-- The commit check of the chain had the same flaw, worse: with the book as
-- the only equality it could scan the entries' (book, date) index and filter
-- on seq, reading every entry of the book at every commit (seen on a new
-- book; a row comparison on (book, seq) did not stop the planner either).
-- Both of its queries now probe the primary keys once per sequence number
-- of the stretch; OFFSET 0 keeps each lateral subquery from being flattened
-- into a join.
-- Released: never edit; add a new numbered file instead.

CREATE OR REPLACE FUNCTION bo_entries_within_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n
               WHERE NOT coalesce(n.seq <= (SELECT b.head_seq FROM bo_books b WHERE b.id = n.book), false)) THEN
        RAISE EXCEPTION 'backoffice: entry beyond its book''s chain head' USING ERRCODE = 'BO002';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION bo_postings_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows GROUP BY book, seq, currency HAVING sum(amount) <> 0) THEN
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

CREATE OR REPLACE FUNCTION bo_dims_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n
               WHERE (SELECT true FROM bo_postings p
                       WHERE p.book = n.book AND p.seq = n.seq AND p.line = n.line) IS NULL) THEN
        RAISE EXCEPTION 'backoffice: dimension of a posting that does not exist' USING ERRCODE = '23503';
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
    SELECT count(*) FILTER (WHERE lines >= 2), coalesce(bool_or(unbalanced), false)
      INTO lines2, unbal
      FROM (SELECT seq, sum(k) AS lines, bool_or(total <> 0) AS unbalanced
              FROM (SELECT p.seq, count(*) AS k, sum(p.amount) AS total
                      FROM generate_series(OLD.head_seq + 1, NEW.head_seq) AS s(n)
                     CROSS JOIN LATERAL (SELECT x.seq, x.currency, x.amount FROM bo_postings x
                                          WHERE x.book = NEW.id AND x.seq = s.n OFFSET 0) p
                     GROUP BY p.seq, p.currency) per_currency
             GROUP BY seq) per_entry;
    IF lines2 <> n THEN
        RAISE EXCEPTION 'backoffice: entry with fewer than two lines' USING ERRCODE = 'BO003';
    END IF;
    IF unbal THEN
        RAISE EXCEPTION 'backoffice: unbalanced entry' USING ERRCODE = 'BO003';
    END IF;
    RETURN NULL;
END $$;
