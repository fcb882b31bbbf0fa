-- Guards that keep a program writing around the library from storing what
-- the ledger refuses. Posted rows never change; an entry must lie within
-- its book's chain head, and every stretch of the chain a transaction adds
-- is checked at commit: gapless, at least two lines per entry, balanced per
-- currency, ending in the head's hash. A distributed engine without
-- constraint triggers may leave this file out; the library checks all of
-- it in Go before it writes.
-- Released: never edit; add a new numbered file instead.

CREATE FUNCTION bo_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'backoffice: % rows are immutable', TG_TABLE_NAME USING ERRCODE = 'BO001';
END $$;

CREATE TRIGGER bo_entries_immutable BEFORE UPDATE OR DELETE ON bo_entries
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_entries_no_truncate BEFORE TRUNCATE ON bo_entries
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_postings_immutable BEFORE UPDATE OR DELETE ON bo_postings
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_postings_no_truncate BEFORE TRUNCATE ON bo_postings
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_dims_immutable BEFORE UPDATE OR DELETE ON bo_dims
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_period_events_immutable BEFORE UPDATE OR DELETE ON bo_period_events
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_dims_no_truncate BEFORE TRUNCATE ON bo_dims
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_period_events_no_truncate BEFORE TRUNCATE ON bo_period_events
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();

-- Entries go in only after the head moved over them, so the commit check
-- below sees every new entry. One statement-level check per INSERT or COPY,
-- over the inserted rows, also stands in for a foreign key to bo_books.
CREATE FUNCTION bo_entries_within_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n LEFT JOIN bo_books b ON b.id = n.book
               WHERE b.id IS NULL OR n.seq > b.head_seq) THEN
        RAISE EXCEPTION 'backoffice: entry beyond its book''s chain head' USING ERRCODE = 'BO002';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER bo_entries_within_head AFTER INSERT ON bo_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bo_entries_within_head();

-- Postings of one statement balance per entry and currency, so no later
-- statement can unbalance an entry committed before; they belong to entries
-- under the chain head (which exist: the chain is gapless) and to accounts
-- of the chart.
CREATE FUNCTION bo_postings_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows GROUP BY book, seq, currency HAVING sum(amount) <> 0) THEN
        RAISE EXCEPTION 'backoffice: unbalanced entry' USING ERRCODE = 'BO003';
    END IF;
    IF EXISTS (SELECT 1 FROM new_rows n LEFT JOIN bo_books b ON b.id = n.book
               WHERE b.id IS NULL OR n.seq > b.head_seq) THEN
        RAISE EXCEPTION 'backoffice: posting beyond its book''s chain head' USING ERRCODE = 'BO002';
    END IF;
    IF EXISTS (SELECT 1 FROM new_rows n LEFT JOIN bo_accounts a ON a.book = n.book AND a.code = n.account
               WHERE a.code IS NULL) THEN
        RAISE EXCEPTION 'backoffice: posting to an account not in the chart' USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER bo_postings_valid AFTER INSERT ON bo_postings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bo_postings_valid();

CREATE FUNCTION bo_dims_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n LEFT JOIN bo_postings p ON p.book = n.book AND p.seq = n.seq AND p.line = n.line
               WHERE p.line IS NULL) THEN
        RAISE EXCEPTION 'backoffice: dimension of a posting that does not exist' USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER bo_dims_valid AFTER INSERT ON bo_dims
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bo_dims_valid();

-- At commit, the stretch (OLD.head_seq, NEW.head_seq] the transaction
-- added: fires once per head move, not once per entry.
CREATE FUNCTION bo_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n       BIGINT;  -- entries in the stretch
    head_ok BOOLEAN; -- the last of them carries the head's hash
    lines2  BIGINT;  -- entries in the stretch with two lines or more
    unbal   BOOLEAN; -- an entry of the stretch does not balance in a currency
BEGIN
    IF NEW.head_seq < OLD.head_seq THEN
        RAISE EXCEPTION 'backoffice: chain head moved back' USING ERRCODE = 'BO004';
    END IF;
    -- Two queries, one over each table's index range: this runs at every
    -- commit that posts, inside the book's lock.
    SELECT count(*), coalesce(bool_or(seq = NEW.head_seq AND hash = NEW.head_hash), false)
      INTO n, head_ok
      FROM bo_entries WHERE book = NEW.id AND seq > OLD.head_seq AND seq <= NEW.head_seq;
    IF n <> NEW.head_seq - OLD.head_seq THEN
        RAISE EXCEPTION 'backoffice: gap in the chain' USING ERRCODE = 'BO004';
    END IF;
    IF NOT head_ok THEN
        RAISE EXCEPTION 'backoffice: chain head does not match its entry' USING ERRCODE = 'BO004';
    END IF;
    SELECT count(*) FILTER (WHERE lines >= 2), coalesce(bool_or(unbalanced), false)
      INTO lines2, unbal
      FROM (SELECT seq, sum(k) AS lines, bool_or(total <> 0) AS unbalanced
              FROM (SELECT seq, count(*) AS k, sum(amount) AS total FROM bo_postings
                     WHERE book = NEW.id AND seq > OLD.head_seq AND seq <= NEW.head_seq
                     GROUP BY seq, currency) per_currency
             GROUP BY seq) per_entry;
    IF lines2 <> n THEN
        RAISE EXCEPTION 'backoffice: entry with fewer than two lines' USING ERRCODE = 'BO003';
    END IF;
    IF unbal THEN
        RAISE EXCEPTION 'backoffice: unbalanced entry' USING ERRCODE = 'BO003';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER bo_check_chain AFTER UPDATE OF head_seq ON bo_books
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.head_seq <> OLD.head_seq)
    EXECUTE FUNCTION bo_check_chain();
