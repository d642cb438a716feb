-- Users, sessions, the append-only audit log, import history and settings.

CREATE TABLE users (
  id              bigserial PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  password_hash   text,
  role            text NOT NULL,
  scope_type      text NOT NULL DEFAULT 'organisation' CHECK (scope_type IN ('organisation', 'service', 'local_authority', 'partner')),
  scope_id        text,
  active          boolean NOT NULL DEFAULT true,
  demo            boolean NOT NULL DEFAULT false,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);

CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Append-only: the triggers below forbid UPDATE and DELETE, and chain every row to the
-- one before it (seq and hash assigned under a lock), so tampering shows.
CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  seq           bigint UNIQUE,
  at            timestamptz NOT NULL DEFAULT now(),
  user_id       bigint,
  username      text,
  role          text,
  action        text NOT NULL,
  resource_type text,
  resource_id   text,
  reason        text,
  ip            text,
  outcome       text NOT NULL DEFAULT 'allowed',
  detail        jsonb,
  prev_hash     text,
  hash          text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id);

CREATE FUNCTION audit_log_chain() RETURNS trigger AS $$
DECLARE
  last_row record;
BEGIN
  PERFORM pg_advisory_xact_lock(4242001);
  SELECT seq, hash INTO last_row FROM audit_log ORDER BY seq DESC LIMIT 1;
  IF NEW.seq IS NULL THEN
    NEW.seq := COALESCE(last_row.seq, 0) + 1;
  END IF;
  IF NEW.hash IS NULL THEN
    NEW.prev_hash := last_row.hash;
    NEW.hash := encode(sha256(convert_to(
      COALESCE(NEW.prev_hash, '') || '|' || NEW.seq || '|' || to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '|' ||
      COALESCE(NEW.user_id::text, '') || '|' || COALESCE(NEW.username, '') || '|' || COALESCE(NEW.role, '') || '|' ||
      NEW.action || '|' || COALESCE(NEW.resource_type, '') || '|' || COALESCE(NEW.resource_id, '') || '|' ||
      COALESCE(NEW.reason, '') || '|' || COALESCE(NEW.ip, '') || '|' || NEW.outcome || '|' || COALESCE(NEW.detail::text, ''),
      'UTF8')), 'hex');
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_forbid_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_forbid_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_forbid_change();

CREATE TABLE imports (
  id            bigserial PRIMARY KEY,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  user_id       bigint,
  username      text,
  source_name   text NOT NULL,
  format        text NOT NULL,
  dry_run       boolean NOT NULL DEFAULT false,
  skip_invalid  boolean NOT NULL DEFAULT false,
  status        text NOT NULL CHECK (status IN ('running', 'succeeded', 'rejected', 'partial', 'failed', 'validated')),
  rows_read     bigint NOT NULL DEFAULT 0,
  rows_written  bigint NOT NULL DEFAULT 0,
  problem_count bigint NOT NULL DEFAULT 0,
  summary       jsonb,
  problems_csv  text
);

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
