-- Issue 8: second factor, single sign-on, break-the-glass and account administration.

-- TOTP second factor. The secret is the RFC 6238 shared secret (base32); totp_last_step
-- is the last accepted time step, so a code is never accepted twice (replay).
ALTER TABLE users
  ADD COLUMN totp_secret         text,
  ADD COLUMN totp_enabled_at     timestamptz,
  ADD COLUMN totp_last_step      bigint,
  -- An administrator can require the second factor of any user (the roles
  -- administrator and caldicott_guardian always need it).
  ADD COLUMN totp_required       boolean NOT NULL DEFAULT false,
  -- OpenID Connect: the identity provider's issuer and subject this account is linked to.
  ADD COLUMN oidc_issuer         text,
  ADD COLUMN oidc_subject        text,
  ADD COLUMN password_changed_at timestamptz,
  ADD COLUMN disabled_at         timestamptz;
CREATE UNIQUE INDEX users_oidc_idx ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- Recovery codes for a lost authenticator: shown once, stored as SHA-256 (they are
-- 50-bit random strings, so a fast hash is enough), each usable once.
CREATE TABLE recovery_codes (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

-- Short-lived steps of a sign-in that are not yet a session: TOTP enrolment on first
-- sign-in, and the OpenID Connect state/nonce/PKCE verifier. Only the token's SHA-256
-- is stored.
CREATE TABLE auth_challenges (
  id_hash    text PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('totp_enrol', 'oidc')),
  user_id    bigint REFERENCES users (id) ON DELETE CASCADE,
  data       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

-- Break-the-glass: a time-limited grant to open one person's record without a care
-- relationship, given with a reason, flagged for the Caldicott guardian's review.
CREATE TABLE break_glass_grants (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id),
  username     text NOT NULL,
  role         text NOT NULL,
  person_id    text NOT NULL,
  service_id   text NOT NULL,
  reason       text NOT NULL CHECK (length(reason) >= 10),
  granted_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  review_status text NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending', 'appropriate', 'inappropriate')),
  reviewed_by  text,
  reviewed_at  timestamptz,
  review_note  text,
  CHECK ((review_status = 'pending') = (reviewed_at IS NULL))
);
CREATE INDEX break_glass_active_idx ON break_glass_grants (user_id, person_id, expires_at);
CREATE INDEX break_glass_review_idx ON break_glass_grants (review_status, granted_at);

-- Audit search by user and by action and date.
CREATE INDEX audit_log_user_idx ON audit_log (username, at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);
