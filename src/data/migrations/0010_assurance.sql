-- Partnership assurance (issue 9): self-audit templates created by users (the shipped
-- templates live in code), audits and their items, actions and evidence; the partner
-- directory; the preparedness plan with every version kept; trial runs (LDIS drills);
-- prevalence estimates and comparators for the needs assessment.

CREATE TABLE assurance_templates (
  id          text PRIMARY KEY,
  name        text NOT NULL CHECK (name <> ''),
  description text NOT NULL DEFAULT '',
  sections    jsonb NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One round of an audit. A later round of the same audit points at the one before it.
CREATE TABLE assurance_audits (
  id           bigserial PRIMARY KEY,
  template_id  text NOT NULL,
  title        text NOT NULL CHECK (title <> ''),
  area         text NOT NULL DEFAULT '',
  -- The month end the live measures are taken on.
  as_of        date NOT NULL,
  previous_id  bigint REFERENCES assurance_audits (id),
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'completed')),
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  completed_by text,
  completed_at timestamptz,
  -- The template as it was when the audit started (a user template may change later).
  template     jsonb NOT NULL
);
CREATE INDEX assurance_audits_previous_idx ON assurance_audits (previous_id);

CREATE TABLE assurance_audit_items (
  audit_id   bigint NOT NULL REFERENCES assurance_audits (id) ON DELETE CASCADE,
  item_key   text NOT NULL,
  lead       text,
  rating     text CHECK (rating IN ('red', 'amber', 'green_amber', 'green')),
  comments   text NOT NULL DEFAULT '',
  evidence   jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Measure values frozen when the audit is completed (live until then).
  measures   jsonb,
  updated_by text,
  updated_at timestamptz,
  PRIMARY KEY (audit_id, item_key)
);

CREATE TABLE assurance_actions (
  id         bigserial PRIMARY KEY,
  audit_id   bigint NOT NULL,
  item_key   text NOT NULL,
  text       text NOT NULL CHECK (text <> ''),
  owner      text,
  due_date   date,
  status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (audit_id, item_key) REFERENCES assurance_audit_items (audit_id, item_key) ON DELETE CASCADE
);
CREATE INDEX assurance_actions_item_idx ON assurance_actions (audit_id, item_key);

-- Partners of the local system: who is invited, who the plan is circulated to, who is in
-- the PIN. ldis_partner is the partner's name as its LDIS submissions carry it.
CREATE TABLE partner_directory (
  id           bigserial PRIMARY KEY,
  organisation text NOT NULL CHECK (organisation <> ''),
  agency_type  text NOT NULL DEFAULT '',
  contact_name text NOT NULL DEFAULT '',
  contact_role text NOT NULL DEFAULT '',
  email        text NOT NULL DEFAULT '',
  phone        text NOT NULL DEFAULT '',
  pin_member   boolean NOT NULL DEFAULT false,
  ldis_partner text,
  active       boolean NOT NULL DEFAULT true,
  updated_by   text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assurance_plans (
  id         bigserial PRIMARY KEY,
  area       text NOT NULL DEFAULT '',
  version    integer NOT NULL DEFAULT 1,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Every version of a plan, never updated: who changed what, when and why.
CREATE TABLE assurance_plan_versions (
  plan_id    bigint NOT NULL REFERENCES assurance_plans (id) ON DELETE CASCADE,
  version    integer NOT NULL CHECK (version >= 1),
  content    jsonb NOT NULL,
  changes    jsonb NOT NULL DEFAULT '[]'::jsonb,
  note       text NOT NULL DEFAULT '',
  changed_by text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, version)
);

-- A trial run: a drill in the LDIS (exercise reports) and what it taught.
CREATE TABLE assurance_trial_runs (
  id            bigserial PRIMARY KEY,
  plan_id       bigint NOT NULL REFERENCES assurance_plans (id) ON DELETE CASCADE,
  plan_version  integer NOT NULL,
  scenario      text NOT NULL CHECK (scenario <> ''),
  report_ids    text[] NOT NULL DEFAULT '{}',
  started_by    text NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  what_happened text,
  improvements  text,
  recorded_by   text,
  recorded_at   timestamptz
);

CREATE TABLE needs_prevalence (
  id            bigserial PRIMARY KEY,
  area          text NOT NULL CHECK (area <> ''),
  substance     text NOT NULL CHECK (substance IN ('opiates_crack', 'opiates', 'crack', 'injectors')),
  estimate      numeric NOT NULL CHECK (estimate > 0),
  rate_per_1000 numeric,
  year          text NOT NULL CHECK (year <> ''),
  source        text NOT NULL CHECK (source <> ''),
  entered_by    text NOT NULL,
  entered_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE needs_comparators (
  id         bigserial PRIMARY KEY,
  measure    text NOT NULL CHECK (measure IN ('successful_exits', 'employment', 'housing', 'penetration')),
  level      text NOT NULL CHECK (level IN ('regional', 'national')),
  value      numeric NOT NULL CHECK (value >= 0 AND value <= 100),
  period     text NOT NULL CHECK (period <> ''),
  source     text NOT NULL CHECK (source <> ''),
  entered_by text NOT NULL,
  entered_at timestamptz NOT NULL DEFAULT now()
);
