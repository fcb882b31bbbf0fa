-- Exchange rates (package fx): on date, 1 from_currency = rate to_currency,
-- per book; the book '' holds the rates shared by every book. Rates are
-- history, appended and never changed: the triggers refuse UPDATE, DELETE
-- and TRUNCATE.
--
-- The rate is NUMERIC, never float, which keeps the digits it was written
-- with ('1.0830'); dates are DATE. Text keys are COLLATE "C".
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_fx_rates (
    book          TEXT COLLATE "C" NOT NULL,
    from_currency TEXT COLLATE "C" NOT NULL CHECK (from_currency <> ''),
    to_currency   TEXT COLLATE "C" NOT NULL CHECK (to_currency <> '' AND to_currency <> from_currency),
    date          DATE NOT NULL,
    rate          NUMERIC NOT NULL CHECK (rate > 0),
    source        TEXT NOT NULL,
    PRIMARY KEY (book, from_currency, to_currency, date)
);

CREATE TRIGGER bo_fx_rates_immutable BEFORE UPDATE OR DELETE ON bo_fx_rates
    FOR EACH ROW EXECUTE FUNCTION bo_refuse_change();
CREATE TRIGGER bo_fx_rates_no_truncate BEFORE TRUNCATE ON bo_fx_rates
    FOR EACH STATEMENT EXECUTE FUNCTION bo_refuse_change();
