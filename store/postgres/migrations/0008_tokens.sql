-- API tokens of the books server (package server): a name, a role and the
-- SHA-256 of the secret, never the secret. A token is revoked, never
-- deleted: its name stays the actor of what it wrote.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE bo_tokens (
    name       TEXT PRIMARY KEY CHECK (name <> ''),
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'accountant', 'admin')),
    hash       BYTEA NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at BIGINT NOT NULL, -- Unix microseconds
    revoked_at BIGINT           -- NULL while valid
);

CREATE FUNCTION bo_tokens_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'backoffice: bo_tokens rows are never deleted';
    END IF;
    IF NEW.name IS DISTINCT FROM OLD.name OR NEW.role IS DISTINCT FROM OLD.role OR NEW.hash IS DISTINCT FROM OLD.hash
       OR NEW.created_at IS DISTINCT FROM OLD.created_at OR OLD.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'backoffice: a token only changes by its revocation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bo_tokens_guard BEFORE UPDATE OR DELETE ON bo_tokens
    FOR EACH ROW EXECUTE FUNCTION bo_tokens_guard();
