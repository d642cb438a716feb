-- LDIS partner organisations' API tokens (issue 5): one or more tokens per partner
-- organisation, shown once and stored only as a sha256 hash of the random token. A
-- request with `Authorization: Bearer <token>` acts as a partner submitter of that
-- organisation. Revoked tokens are kept (who revoked, when) for the audit trail.
CREATE TABLE ldis_partner_tokens (
  id           bigserial PRIMARY KEY,
  partner      text NOT NULL CHECK (partner ~ '^[a-z0-9][a-z0-9_.:-]{0,99}$'),
  label        text NOT NULL CHECK (label <> ''),
  token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  -- The first characters of the token, so a partner can tell which token they hold.
  token_hint   text NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  revoked_by   text,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX ldis_partner_tokens_partner_idx ON ldis_partner_tokens (partner);

-- Partner CSV imports: one row per file, with the outcome; the rows themselves become
-- ordinary submissions (ldis_submissions), so a re-imported file is idempotent.
CREATE TABLE ldis_partner_imports (
  id          bigserial PRIMARY KEY,
  partner     text NOT NULL,
  file_name   text NOT NULL,
  imported_by text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  rows        integer NOT NULL CHECK (rows >= 0),
  created     integer NOT NULL CHECK (created >= 0),
  replayed    integer NOT NULL CHECK (replayed >= 0)
);
