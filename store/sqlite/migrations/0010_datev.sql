-- The DATEV settings of a book (package interchange/datev): the tax
-- advisor's consultant number, the client number and the account length,
-- so that books export datev needs no flags. One row per book, replaced
-- when the settings change.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_datev_settings (
    book           TEXT PRIMARY KEY CHECK (book <> ''),
    consultant     INTEGER NOT NULL CHECK (consultant BETWEEN 1001 AND 9999999),
    client         INTEGER NOT NULL CHECK (client BETWEEN 1 AND 99999),
    account_length INTEGER NOT NULL CHECK (account_length BETWEEN 4 AND 8)
) STRICT, WITHOUT ROWID;
