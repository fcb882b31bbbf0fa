-- API tokens of the books server (package server): a name, a role and the
-- SHA-256 of the secret, never the secret. A token is revoked, never
-- deleted: its name stays the actor of what it wrote.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_tokens (
    name       TEXT PRIMARY KEY CHECK (name <> ''),
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'accountant', 'admin')),
    hash       BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at INTEGER NOT NULL, -- Unix microseconds
    revoked_at INTEGER           -- NULL while valid
) STRICT;

CREATE TRIGGER bo_tokens_no_delete BEFORE DELETE ON bo_tokens
BEGIN SELECT RAISE(ABORT, 'backoffice: bo_tokens rows are never deleted'); END;
-- Only revocation changes a token, and only once.
CREATE TRIGGER bo_tokens_revoke_only BEFORE UPDATE ON bo_tokens
WHEN NEW.name IS NOT OLD.name OR NEW.role IS NOT OLD.role OR NEW.hash IS NOT OLD.hash
  OR NEW.created_at IS NOT OLD.created_at OR OLD.revoked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'backoffice: a token only changes by its revocation'); END;
