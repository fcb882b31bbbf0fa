-- Base amounts (multi-currency books): a posting in a currency other than
-- its book's base currency may carry its value in the base currency as
-- booked, in the base currency's minor units (NULL: not converted). The
-- totals sum those base amounts per side (base_debit, base_credit) and the
-- amounts of the postings that carry one (conv_debit, conv_credit), so a
-- report in the base currency knows whether every posting of a row is
-- converted. Existing rows need nothing: no posting carried a base amount.
-- An entry with base amounts balances in the base currency, not per
-- currency, so the chain check's balance rule becomes: per entry, the base
-- amounts plus the amounts in the book's currency without one sum to zero,
-- and in every other currency the amounts without one sum to zero.
-- Released: never edit; add a new numbered file instead.

ALTER TABLE bo_postings ADD COLUMN base INTEGER CHECK (base IS NULL OR typeof(base) = 'integer');
ALTER TABLE bo_totals ADD COLUMN base_debit INTEGER NOT NULL DEFAULT 0
    CONSTRAINT bo_overflow CHECK (typeof(base_debit) = 'integer' AND base_debit >= 0);
ALTER TABLE bo_totals ADD COLUMN base_credit INTEGER NOT NULL DEFAULT 0
    CONSTRAINT bo_overflow CHECK (typeof(base_credit) = 'integer' AND base_credit >= 0);
ALTER TABLE bo_totals ADD COLUMN conv_debit INTEGER NOT NULL DEFAULT 0
    CONSTRAINT bo_overflow CHECK (typeof(conv_debit) = 'integer' AND conv_debit >= 0);
ALTER TABLE bo_totals ADD COLUMN conv_credit INTEGER NOT NULL DEFAULT 0
    CONSTRAINT bo_overflow CHECK (typeof(conv_credit) = 'integer' AND conv_credit >= 0);

-- Totals only grow, in their base sums too.
DROP TRIGGER bo_totals_only_grow;
CREATE TRIGGER bo_totals_only_grow BEFORE UPDATE ON bo_totals
WHEN NEW.book IS NOT OLD.book OR NEW.account IS NOT OLD.account OR NEW.currency IS NOT OLD.currency
  OR NEW.level IS NOT OLD.level OR NEW.bucket IS NOT OLD.bucket OR NEW.closing IS NOT OLD.closing
  OR NEW.debit < OLD.debit OR NEW.credit < OLD.credit
  OR NEW.base_debit < OLD.base_debit OR NEW.base_credit < OLD.base_credit
  OR NEW.conv_debit < OLD.conv_debit OR NEW.conv_credit < OLD.conv_credit
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_totals rows are maintained by the ledger'); END;

DROP TRIGGER bo_check_chain;
CREATE TRIGGER bo_check_chain AFTER UPDATE OF head_seq ON bo_books
WHEN NEW.head_seq <> OLD.head_seq
BEGIN
    SELECT RAISE(ABORT, 'backoffice: chain head moved back')
    WHERE NEW.head_seq < OLD.head_seq;
    SELECT RAISE(ABORT, 'backoffice: gap in the chain')
    WHERE (SELECT count(*) FROM bo_entries WHERE book = NEW.id AND seq > OLD.head_seq AND seq <= NEW.head_seq)
          <> NEW.head_seq - OLD.head_seq;
    SELECT RAISE(ABORT, 'backoffice: chain head does not match its entry')
    WHERE NOT EXISTS (SELECT 1 FROM bo_entries WHERE book = NEW.id AND seq = NEW.head_seq AND hash = NEW.head_hash);
    SELECT RAISE(ABORT, 'backoffice: entry with fewer than two lines')
    WHERE (SELECT count(*) FROM (SELECT seq FROM bo_postings WHERE book = NEW.id AND seq > OLD.head_seq AND seq <= NEW.head_seq
                                 GROUP BY seq HAVING count(*) >= 2))
          <> NEW.head_seq - OLD.head_seq;
    SELECT RAISE(ABORT, 'backoffice: posting to an account not in the chart')
    WHERE EXISTS (SELECT 1 FROM bo_postings p WHERE p.book = NEW.id AND p.seq > OLD.head_seq AND p.seq <= NEW.head_seq
                  AND NOT EXISTS (SELECT 1 FROM bo_accounts a WHERE a.book = p.book AND a.code = p.account));
    SELECT RAISE(ABORT, 'backoffice: unbalanced entry')
    WHERE EXISTS (SELECT 1 FROM bo_postings WHERE book = NEW.id AND seq > OLD.head_seq AND seq <= NEW.head_seq
                  AND base IS NULL AND currency <> NEW.currency
                  GROUP BY seq, currency HAVING sum(amount) <> 0)
       OR EXISTS (SELECT 1 FROM bo_postings WHERE book = NEW.id AND seq > OLD.head_seq AND seq <= NEW.head_seq
                  GROUP BY seq HAVING sum(CASE WHEN base IS NOT NULL THEN base
                                               WHEN currency = NEW.currency THEN amount ELSE 0 END) <> 0);
END;
