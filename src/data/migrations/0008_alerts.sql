-- Alerts, PIN reports, redacted copies and distribution (issue 7).
-- An alert keeps every version; each version keeps its approvals, and the copies of each
-- audience tier are frozen on the version when it is issued. Deliveries record who was
-- sent which version of what, when, and every failed attempt.

CREATE TABLE alerts (
  id               bigserial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('formal_alert', 'information_share')),
  local_authority  text NOT NULL,
  area_name        text NOT NULL,
  step             smallint NOT NULL CHECK (step BETWEEN 1 AND 3),
  basis_type       text NOT NULL CHECK (basis_type IN ('report', 'step_change', 'manual')),
  -- The report id (basis 'report') or a description of the step change.
  basis_ref        text,
  -- The reports behind the alert: their identifiers are what the shared copies must not hold.
  report_ids       text[] NOT NULL DEFAULT '{}',
  reference_date   date NOT NULL,
  current_version  integer NOT NULL DEFAULT 1,
  issued_version   integer,
  -- Permission to share the coroner's information: who recorded it, when, and why.
  coroner_permission jsonb,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_area_idx ON alerts (local_authority, id DESC);

CREATE TABLE alert_versions (
  alert_id      bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  version       integer NOT NULL CHECK (version >= 1),
  status        text NOT NULL CHECK (status IN ('draft', 'awaiting_approval', 'approved', 'issued', 'superseded')),
  content       jsonb NOT NULL,
  authors       text[] NOT NULL,
  approvals     text[] NOT NULL DEFAULT '{}',
  revision_note text,
  -- The copy of each tier (panel, partners, public) as issued; null until then.
  tiers         jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  issued_at     timestamptz,
  issued_by     text,
  PRIMARY KEY (alert_id, version)
);

-- Everything that happened to an alert, in order (never updated or deleted).
CREATE TABLE alert_events (
  id        bigserial PRIMARY KEY,
  alert_id  bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  version   integer NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text NOT NULL,
  action    text NOT NULL,
  note      text
);
CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, id);

CREATE TABLE distribution_lists (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (name <> ''),
  tier        text NOT NULL CHECK (tier IN ('panel', 'partners', 'public')),
  description text NOT NULL DEFAULT '',
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE distribution_members (
  list_id  bigint NOT NULL REFERENCES distribution_lists (id) ON DELETE CASCADE,
  email    text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  name     text NOT NULL DEFAULT '',
  added_by text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (list_id, email)
);

CREATE TABLE pin_reports (
  id              bigserial PRIMARY KEY,
  local_authority text,
  title           text NOT NULL,
  cadence         text NOT NULL CHECK (cadence IN ('monthly', 'weekly')),
  period_start    date NOT NULL,
  period_end      date NOT NULL CHECK (period_end >= period_start),
  step            smallint NOT NULL CHECK (step BETWEEN 1 AND 3),
  -- The panel body (exact counts) and the shared body (disclosure-controlled), as built.
  panel           jsonb NOT NULL,
  partners        jsonb NOT NULL,
  generated_by    text NOT NULL,
  generated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pin_reports_area_idx ON pin_reports (local_authority, id DESC);

-- One row per recipient of one version of one item in one tier: who, what, when, and
-- every attempt. The UNIQUE key makes sending the same thing twice impossible.
CREATE TABLE deliveries (
  id              bigserial PRIMARY KEY,
  item_type       text NOT NULL CHECK (item_type IN ('alert', 'pin_report')),
  item_id         bigint NOT NULL,
  version         integer NOT NULL,
  tier            text NOT NULL CHECK (tier IN ('panel', 'partners', 'public')),
  list_id         bigint REFERENCES distribution_lists (id) ON DELETE SET NULL,
  email           text NOT NULL,
  name            text NOT NULL DEFAULT '',
  status          text NOT NULL CHECK (status IN ('pending', 'sent', 'retrying', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error      text,
  message_id      text,
  sent_at         timestamptz,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (item_type, item_id, version, tier, email)
);
CREATE INDEX deliveries_item_idx ON deliveries (item_type, item_id, version);
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying');
