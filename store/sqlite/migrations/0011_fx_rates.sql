-- Exchange rates (package fx): on date, 1 from_currency = rate to_currency,
-- per book; the book '' holds the rates shared by every book. Rates are
-- history, appended and never changed: the triggers refuse UPDATE and
-- DELETE.
--
-- The rate is exact decimal TEXT with the digits it was written with
-- ('1.0830'), never REAL; dates are 'YYYY-MM-DD' text.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_fx_rates (
    book          TEXT NOT NULL,
    from_currency TEXT NOT NULL CHECK (from_currency <> ''),
    to_currency   TEXT NOT NULL CHECK (to_currency <> '' AND to_currency <> from_currency),
    date          TEXT NOT NULL CHECK (length(date) = 10),
    rate          TEXT NOT NULL CHECK (rate GLOB '[0-9]*' AND rate NOT GLOB '*[^0-9.]*' AND rate GLOB '*[1-9]*'),
    source        TEXT NOT NULL,
    PRIMARY KEY (book, from_currency, to_currency, date)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER bo_fx_rates_no_update BEFORE UPDATE ON bo_fx_rates
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_fx_rates rows are never changed'); END;
CREATE TRIGGER bo_fx_rates_no_delete BEFORE DELETE ON bo_fx_rates
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_fx_rates rows are never deleted'); END;
