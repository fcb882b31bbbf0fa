-- Guards that keep a program writing around the library from storing what
-- the ledger refuses. Posted rows never change. SQLite has no checks at
-- commit, so the store writes a batch's entries first and moves the chain
-- head last; moving the head checks the stretch it covers: gapless, at
-- least two lines per entry, balanced per currency, ending in the head's
-- hash. Rows cannot be added to entries already under the head.
-- Released: never edit; add a new numbered file instead.

CREATE TRIGGER bo_entries_no_update BEFORE UPDATE ON bo_entries
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_entries rows are immutable'); END;
CREATE TRIGGER bo_entries_no_delete BEFORE DELETE ON bo_entries
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_entries rows are immutable'); END;
CREATE TRIGGER bo_postings_no_update BEFORE UPDATE ON bo_postings
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_postings rows are immutable'); END;
CREATE TRIGGER bo_postings_no_delete BEFORE DELETE ON bo_postings
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_postings rows are immutable'); END;
CREATE TRIGGER bo_dims_no_update BEFORE UPDATE ON bo_dims
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_dims rows are immutable'); END;
CREATE TRIGGER bo_dims_no_delete BEFORE DELETE ON bo_dims
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_dims rows are immutable'); END;
CREATE TRIGGER bo_period_events_no_update BEFORE UPDATE ON bo_period_events
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_period_events rows are immutable'); END;
CREATE TRIGGER bo_period_events_no_delete BEFORE DELETE ON bo_period_events
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_period_events rows are immutable'); END;

CREATE TRIGGER bo_entries_beyond_head BEFORE INSERT ON bo_entries
WHEN NEW.seq <= (SELECT head_seq FROM bo_books WHERE id = NEW.book)
BEGIN SELECT RAISE(ABORT, 'backoffice: entry inside the chain'); END;
CREATE TRIGGER bo_postings_beyond_head BEFORE INSERT ON bo_postings
WHEN NEW.seq <= (SELECT head_seq FROM bo_books WHERE id = NEW.book)
BEGIN SELECT RAISE(ABORT, 'backoffice: entry inside the chain'); END;

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
                  GROUP BY seq, currency HAVING sum(amount) <> 0);
END;
