-- The person record (issue 4): care-plan actions recorded against risk flags, and the
-- provenance of records captured on Beacon (a risk event, naloxone supply or drug test
-- entered on the record rather than imported). Captured records themselves go into the
-- dataset tables, so the profile, MAT, reports and exports all see them; this side table
-- says who captured which one and when. Both reference people only.

CREATE TABLE care_actions (
  id              bigserial PRIMARY KEY,
  person_id       text NOT NULL REFERENCES people (person_id),
  -- The risk flag the action is against (domain §2 code).
  flag            text NOT NULL,
  -- A recommended action's stable id (e.g. on_top.optimise_dose), or NULL for one of the
  -- team's own.
  action_id       text,
  text            text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  status          text NOT NULL CHECK (status IN ('planned', 'done', 'declined')),
  declined_reason text,
  due_date        date,
  owner           text CHECK (length(owner) <= 200),
  note            text CHECK (length(note) <= 4000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text NOT NULL,
  CHECK (status <> 'declined' OR (declined_reason IS NOT NULL AND length(declined_reason) > 0))
);
CREATE INDEX care_actions_person_idx ON care_actions (person_id, created_at);
CREATE INDEX care_actions_open_idx ON care_actions (due_date) WHERE status = 'planned';

CREATE TABLE captured_records (
  table_name  text NOT NULL CHECK (table_name IN ('risk_events', 'naloxone', 'drug_tests')),
  -- event_id, supply_id or test_id of the captured row(s).
  record_id   text NOT NULL,
  person_id   text NOT NULL REFERENCES people (person_id),
  captured_at timestamptz NOT NULL DEFAULT now(),
  captured_by text NOT NULL,
  user_id     bigint,
  PRIMARY KEY (table_name, record_id)
);
CREATE INDEX captured_records_person_idx ON captured_records (person_id);
