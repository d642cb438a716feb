-- Early warning (issue 6): imported weekly counts, detection runs and their stored
-- results, alarms as they were first raised, each area's step with its history, and
-- in-app notifications for coordinators.

-- Weekly counts imported from a partner's own system (e.g. an ambulance trust's call-outs).
-- Where an imported count exists for an area, indicator and week it is the authoritative
-- total for that week and replaces the count built from LDIS reports.
CREATE TABLE warning_counts (
  area         text NOT NULL,
  indicator    text NOT NULL,
  period_start date NOT NULL CHECK (extract(isodow FROM period_start) = 1),
  count        integer NOT NULL CHECK (count >= 0),
  source       text NOT NULL,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  imported_by  text NOT NULL,
  PRIMARY KEY (area, indicator, period_start)
);

-- One row per detection run (scheduled, after an import or report, or on demand).
CREATE TABLE warning_runs (
  id           bigserial PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  trigger      text NOT NULL CHECK (trigger IN ('schedule', 'data_change', 'demand', 'demo')),
  requested_by text NOT NULL,
  as_of        date NOT NULL,
  status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  fingerprint  text,
  series_total integer NOT NULL DEFAULT 0,
  series_computed integer NOT NULL DEFAULT 0,
  alarms_new   integer NOT NULL DEFAULT 0,
  duration_ms  integer,
  error        text
);
CREATE INDEX warning_runs_started_idx ON warning_runs (started_at DESC);

-- The latest result of each area × indicator series, so pages read one small row.
-- `weeks` holds the evaluated weeks (period_start, count, expected, upper_bound, alarm,
-- method, reason, triggers); `input_hash` lets a run skip a series whose data and
-- settings have not changed.
CREATE TABLE warning_series (
  area         text NOT NULL,
  indicator    text NOT NULL,
  run_id       bigint NOT NULL REFERENCES warning_runs (id),
  as_of        date NOT NULL,
  method       text NOT NULL,
  method_note  text NOT NULL,
  history_weeks integer NOT NULL,
  input_hash   text NOT NULL,
  latest_period date,
  latest_count integer,
  latest_expected double precision,
  latest_upper  double precision,
  latest_alarm boolean NOT NULL DEFAULT false,
  recent_alarms integer NOT NULL DEFAULT 0,
  triggers_firing integer NOT NULL DEFAULT 0,
  weeks        jsonb NOT NULL,
  episodes     jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (area, indicator)
);

-- Every alarm (exceedance or count trigger) the first time a run raised it.
CREATE TABLE warning_alarms (
  id           bigserial PRIMARY KEY,
  area         text NOT NULL,
  indicator    text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('exceedance', 'count_trigger')),
  period_start date NOT NULL,
  key          text NOT NULL,
  count        double precision,
  expected     double precision,
  upper_bound  double precision,
  reason       text NOT NULL,
  run_id       bigint NOT NULL REFERENCES warning_runs (id),
  raised_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT warning_alarms_key UNIQUE (area, indicator, kind, key)
);
CREATE INDEX warning_alarms_area_idx ON warning_alarms (area, period_start DESC);

-- Each area's step (1 prepared, 2 reliable intelligence, 3 confirmed presence / rise) and
-- the proposal waiting for the coordinator. The row lock serialises decisions.
CREATE TABLE warning_steps (
  area          text PRIMARY KEY,
  current_step  smallint NOT NULL DEFAULT 1 CHECK (current_step BETWEEN 1 AND 3),
  since         timestamptz NOT NULL,
  pending       jsonb,
  pending_since timestamptz,
  last_proposal jsonb,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The step history: proposals, confirmations and overrides (with the reason), never rewritten.
CREATE TABLE warning_step_history (
  id            bigserial PRIMARY KEY,
  area          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('initial', 'proposed', 'confirmed', 'overridden')),
  at            timestamptz NOT NULL,
  actor         text,
  step          smallint NOT NULL CHECK (step BETWEEN 1 AND 3),
  previous_step smallint NOT NULL CHECK (previous_step BETWEEN 1 AND 3),
  reason        text,
  proposal      jsonb
);
CREATE INDEX warning_step_history_area_idx ON warning_step_history (area, id);

-- In-app notifications for coordinators: a new alarm, a proposed step, a step change in
-- the area or in a neighbouring area. (Email distribution belongs to the alerts module.)
CREATE TABLE warning_notifications (
  id           bigserial PRIMARY KEY,
  created_at   timestamptz NOT NULL DEFAULT now(),
  area         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('new_alarm', 'step_proposed', 'step_changed', 'neighbour_step_changed')),
  about_area   text NOT NULL,
  title        text NOT NULL,
  body         text NOT NULL,
  read_at      timestamptz,
  read_by      text
);
CREATE INDEX warning_notifications_area_idx ON warning_notifications (area, id DESC);
