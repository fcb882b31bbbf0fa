-- The state log (ledger.StateRecord): the book's settings, each account of
-- its chart and each period event as the ledger recorded them, in a hash
-- chain of its own, so that Verify finds a chart, lock date or period
-- changed behind the library's back. And guards on the tables the ledger
-- alone changes: the maintained totals and balances, the chart, the books
-- and the currencies. Verify checks totals and balances against the
-- postings; these triggers refuse what no ledger operation ever does.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_state (
    book TEXT NOT NULL REFERENCES bo_books (id),
    seq  INTEGER NOT NULL CHECK (seq > 0),
    data BLOB NOT NULL,
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (book, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER bo_state_no_update BEFORE UPDATE ON bo_state
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_state rows are immutable'); END;
CREATE TRIGGER bo_state_no_delete BEFORE DELETE ON bo_state
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_state rows are immutable'); END;
CREATE TRIGGER bo_state_gapless BEFORE INSERT ON bo_state
WHEN NEW.seq <> coalesce((SELECT max(seq) FROM bo_state WHERE book = NEW.book), 0) + 1
BEGIN SELECT RAISE(ABORT, 'backoffice: gap in the state log'); END;

-- Totals only grow: appends add to debit and credit.
CREATE TRIGGER bo_totals_no_delete BEFORE DELETE ON bo_totals
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_totals rows are maintained by the ledger'); END;
CREATE TRIGGER bo_totals_only_grow BEFORE UPDATE ON bo_totals
WHEN NEW.book IS NOT OLD.book OR NEW.account IS NOT OLD.account OR NEW.currency IS NOT OLD.currency
  OR NEW.level IS NOT OLD.level OR NEW.bucket IS NOT OLD.bucket OR NEW.closing IS NOT OLD.closing
  OR NEW.debit < OLD.debit OR NEW.credit < OLD.credit
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_totals rows are maintained by the ledger'); END;

CREATE TRIGGER bo_balances_no_delete BEFORE DELETE ON bo_balances
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_balances rows are maintained by the ledger'); END;
CREATE TRIGGER bo_balances_keys BEFORE UPDATE ON bo_balances
WHEN NEW.book IS NOT OLD.book OR NEW.account IS NOT OLD.account OR NEW.currency IS NOT OLD.currency
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_balances rows are maintained by the ledger'); END;

-- Accounts are never deleted or retyped; closing one is an update.
CREATE TRIGGER bo_accounts_no_delete BEFORE DELETE ON bo_accounts
BEGIN SELECT RAISE(ABORT, 'backoffice: accounts are never deleted'); END;
CREATE TRIGGER bo_accounts_no_retype BEFORE UPDATE ON bo_accounts
WHEN NEW.book IS NOT OLD.book OR NEW.code IS NOT OLD.code OR NEW.type IS NOT OLD.type
BEGIN SELECT RAISE(ABORT, 'backoffice: an account keeps its book, code and type'); END;

-- A book keeps its identity, currency and fiscal year; its lock date only
-- moves forward.
CREATE TRIGGER bo_books_no_delete BEFORE DELETE ON bo_books
BEGIN SELECT RAISE(ABORT, 'backoffice: books are never deleted'); END;
CREATE TRIGGER bo_books_settings BEFORE UPDATE ON bo_books
WHEN NEW.id IS NOT OLD.id OR NEW.currency IS NOT OLD.currency OR NEW.fy_start IS NOT OLD.fy_start
BEGIN SELECT RAISE(ABORT, 'backoffice: a book keeps its ID, currency and fiscal year'); END;
CREATE TRIGGER bo_books_lock_date BEFORE UPDATE OF lock_date ON bo_books
WHEN OLD.lock_date IS NOT NULL AND (NEW.lock_date IS NULL OR NEW.lock_date < OLD.lock_date)
BEGIN SELECT RAISE(ABORT, 'backoffice: the lock date only moves forward'); END;

CREATE TRIGGER bo_currencies_no_update BEFORE UPDATE ON bo_currencies
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_currencies rows are immutable'); END;
CREATE TRIGGER bo_currencies_no_delete BEFORE DELETE ON bo_currencies
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_currencies rows are immutable'); END;
