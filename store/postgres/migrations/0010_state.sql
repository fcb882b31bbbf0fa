-- The state log (ledger.StateRecord): the book's settings, each account of
-- its chart and each period event as the ledger recorded them, in a hash
-- chain of its own, so that Verify finds a chart, lock date or period
-- changed behind the library's back. And guards on the tables the ledger
-- alone changes: the maintained totals and balances, the chart, the books
-- and the currencies. Verify checks totals and balances against the
-- postings; these triggers refuse what no ledger operation ever does.
-- docs/SECURITY.md lists the grants of a least-privilege application role.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_state (
    book TEXT COLLATE "C" NOT NULL REFERENCES bo_books (id),
    seq  BIGINT NOT NULL CHECK (seq > 0),
    data BYTEA NOT NULL,
    hash BYTEA NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (book, seq)
);

CREATE TRIGGER bo_state_immutable BEFORE UPDATE OR DELETE ON bo_state
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_state_no_truncate BEFORE TRUNCATE ON bo_state
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();

CREATE FUNCTION bo_state_gapless() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq <> coalesce((SELECT max(seq) FROM bo_state WHERE book = NEW.book), 0) + 1 THEN
        RAISE EXCEPTION 'backoffice: gap in the state log' USING ERRCODE = 'BO004';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bo_state_gapless BEFORE INSERT ON bo_state
    FOR EACH ROW EXECUTE FUNCTION bo_state_gapless();

-- Totals only grow: appends add to debit and credit.
CREATE FUNCTION bo_totals_only_grow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.book, NEW.account, NEW.currency, NEW.level, NEW.bucket, NEW.closing)
       IS DISTINCT FROM (OLD.book, OLD.account, OLD.currency, OLD.level, OLD.bucket, OLD.closing)
       OR NEW.debit < OLD.debit OR NEW.credit < OLD.credit THEN
        RAISE EXCEPTION 'backoffice: bo_totals rows are maintained by the ledger' USING ERRCODE = 'BO001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bo_totals_only_grow BEFORE UPDATE ON bo_totals
    FOR EACH ROW EXECUTE FUNCTION bo_totals_only_grow();
CREATE TRIGGER bo_totals_no_delete BEFORE DELETE ON bo_totals
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_totals_no_truncate BEFORE TRUNCATE ON bo_totals
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();

CREATE FUNCTION bo_balances_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.book, NEW.account, NEW.currency) IS DISTINCT FROM (OLD.book, OLD.account, OLD.currency) THEN
        RAISE EXCEPTION 'backoffice: bo_balances rows are maintained by the ledger' USING ERRCODE = 'BO001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bo_balances_keys BEFORE UPDATE ON bo_balances
    FOR EACH ROW EXECUTE FUNCTION bo_balances_keys();
CREATE TRIGGER bo_balances_no_delete BEFORE DELETE ON bo_balances
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_balances_no_truncate BEFORE TRUNCATE ON bo_balances
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();

-- Accounts are never deleted or retyped; closing one is an update.
CREATE FUNCTION bo_accounts_no_retype() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.book, NEW.code, NEW.type) IS DISTINCT FROM (OLD.book, OLD.code, OLD.type) THEN
        RAISE EXCEPTION 'backoffice: an account keeps its book, code and type' USING ERRCODE = 'BO001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bo_accounts_no_retype BEFORE UPDATE ON bo_accounts
    FOR EACH ROW EXECUTE FUNCTION bo_accounts_no_retype();
CREATE TRIGGER bo_accounts_no_delete BEFORE DELETE ON bo_accounts
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_accounts_no_truncate BEFORE TRUNCATE ON bo_accounts
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();

-- A book keeps its identity, currency and fiscal year; its lock date only
-- moves forward.
CREATE FUNCTION bo_books_settings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.currency, NEW.fy_start) IS DISTINCT FROM (OLD.id, OLD.currency, OLD.fy_start) THEN
        RAISE EXCEPTION 'backoffice: a book keeps its ID, currency and fiscal year' USING ERRCODE = 'BO001';
    END IF;
    IF OLD.lock_date IS NOT NULL AND (NEW.lock_date IS NULL OR NEW.lock_date < OLD.lock_date) THEN
        RAISE EXCEPTION 'backoffice: the lock date only moves forward' USING ERRCODE = 'BO001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bo_books_settings BEFORE UPDATE ON bo_books
    FOR EACH ROW EXECUTE FUNCTION bo_books_settings();
CREATE TRIGGER bo_books_no_delete BEFORE DELETE ON bo_books
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_books_no_truncate BEFORE TRUNCATE ON bo_books
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();

CREATE TRIGGER bo_currencies_immutable BEFORE UPDATE OR DELETE ON bo_currencies
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_currencies_no_truncate BEFORE TRUNCATE ON bo_currencies
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
