-- Change feed (issue 3 performance): each Beacon process keeps the dataset version and the
-- sessions it has resolved in memory, and LISTENs on these channels to learn at once of
-- changes made by other processes (another server, the `beacon` command) — see
-- src/data/changes.ts. Notifications are sent at COMMIT, never for a transaction that
-- rolls back.
--
--   beacon_dataset_version  payload: the new dataset version; '' when the version did not
--                           move forward (a row reset or removed): listeners then read it.
--   beacon_sessions         payload: a user id whose sessions changed or ended, a comma-
--                           separated list of them, or '*' for everyone.

-- The dataset version: every change of the row (the dataset triggers of migration 0011
-- bump it on each statement, and anybody may UPDATE it directly) is announced.
CREATE FUNCTION dataset_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.version > OLD.version THEN
    PERFORM pg_notify('beacon_dataset_version', NEW.version::text);
  ELSE
    PERFORM pg_notify('beacon_dataset_version', '');
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER dataset_version_notify AFTER INSERT OR UPDATE OR DELETE ON dataset_version FOR EACH ROW EXECUTE FUNCTION dataset_version_notify();
CREATE TRIGGER dataset_version_notify_truncate AFTER TRUNCATE ON dataset_version FOR EACH STATEMENT EXECUTE FUNCTION dataset_version_notify();

-- Sessions. The idle timer moving forward (last_seen_at, written at most every 30 s by
-- each request's session lookup) is the one change that cannot end or alter a session, so
-- it alone is not announced; anything else is (an idle timer set back, a new expiry, a new
-- CSRF token, another user). A new session is not announced either: nobody holds it yet.
CREATE FUNCTION sessions_notify_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(OLD) - 'last_seen_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_seen_at') OR NEW.last_seen_at < OLD.last_seen_at THEN
    PERFORM pg_notify('beacon_sessions', OLD.user_id::text);
    IF NEW.user_id <> OLD.user_id THEN
      PERFORM pg_notify('beacon_sessions', NEW.user_id::text);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_notify_update AFTER UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION sessions_notify_update();

-- Ended sessions (sign-out, expiry clean-up, a disabled account, a new password): one
-- notification per statement naming the users (everyone when the list would not fit in a
-- payload, which holds under 8000 bytes).
CREATE FUNCTION sessions_notify_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  SELECT string_agg(DISTINCT user_id::text, ',') INTO ids FROM old_rows;
  IF ids IS NOT NULL THEN
    PERFORM pg_notify('beacon_sessions', CASE WHEN length(ids) > 7000 THEN '*' ELSE ids END);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_notify_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_notify_delete();

CREATE FUNCTION notify_all_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('beacon_sessions', '*');
  RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_notify_truncate AFTER TRUNCATE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION notify_all_sessions();
CREATE TRIGGER users_notify_truncate AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION notify_all_sessions();

-- Users: a change of anything a session carries or depends on — role, scope, name,
-- disabled, password, second factor, single sign-on, and any column added later — is
-- announced. Only the bookkeeping of sign-in attempts (failed attempts, lock, last
-- sign-in, the last TOTP step used) is not: it neither ends nor alters a live session.
CREATE FUNCTION users_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bookkeeping CONSTANT text[] := ARRAY['failed_attempts', 'locked_until', 'last_sign_in_at', 'totp_last_step'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('beacon_sessions', OLD.id::text);
  ELSIF (to_jsonb(OLD) - bookkeeping) IS DISTINCT FROM (to_jsonb(NEW) - bookkeeping) THEN
    PERFORM pg_notify('beacon_sessions', OLD.id::text);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER users_notify AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION users_notify();
