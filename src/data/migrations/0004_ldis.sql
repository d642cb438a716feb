-- LDIS report handling (issue 5): partner submissions (idempotent on the partner's own
-- report id), the workflow event log with the current state beside it, gradings,
-- linkage operations (merge / split / undo, never rewritten) and report revisions.
-- Tables reference incidents only (not each other), so a backup restores them in any
-- order after incidents.

-- One row per report submitted by a partner (form or API). The UNIQUE constraint is the
-- idempotency key: a retried submission with the same partner report id never creates a
-- second report. The FK is deferred so the submission row can be claimed first.
CREATE TABLE ldis_submissions (
  report_id         text PRIMARY KEY REFERENCES incidents (report_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  partner           text NOT NULL,
  partner_report_id text NOT NULL,
  submitted_by      text NOT NULL,
  submitted_at      timestamptz NOT NULL DEFAULT now(),
  -- sha256 of the normalised submission: a replay with other content is a conflict.
  payload_hash      text NOT NULL,
  CONSTRAINT ldis_submissions_partner_report_key UNIQUE (partner, partner_report_id),
  CHECK (partner <> '' AND partner_report_id <> '')
);
CREATE INDEX ldis_submissions_partner_idx ON ldis_submissions (partner, submitted_at);

-- The workflow of a report as an append-only event log (domain ldis/workflow.ts actions).
CREATE TABLE ldis_workflow_events (
  id         bigserial PRIMARY KEY,
  report_id  text NOT NULL REFERENCES incidents (report_id) ON DELETE CASCADE,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL CHECK (action IN ('assess', 'decide', 'issue', 'close', 'reopen')),
  payload    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX ldis_workflow_events_report_idx ON ldis_workflow_events (report_id, id);

-- The current workflow state of each report (derived from the events, kept in the same
-- transaction); the row lock serialises concurrent actions on one report.
CREATE TABLE ldis_report_state (
  report_id    text PRIMARY KEY REFERENCES incidents (report_id) ON DELETE CASCADE,
  status       text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'assessed', 'decided', 'issued', 'closed')),
  assessed_at  timestamptz,
  decided_at   timestamptz,
  decision     text CHECK (decision IN ('no_further_action', 'share_for_information', 'formal_alert')),
  rationale    text,
  close_reason text CHECK (close_reason IN ('completed', 'duplicate', 'withdrawn')),
  reopened_at  timestamptz,
  -- Coronial findings arrive late and are kept with the report (revisions record changes).
  coronial_nitazene_contributed boolean,
  coronial_combinations         text,
  revision     integer NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ldis_report_state_status_idx ON ldis_report_state (status);

-- Every grading (re-grading keeps the earlier ones), one column per grading question.
CREATE TABLE ldis_assessments (
  id                   bigserial PRIMARY KEY,
  report_id            text NOT NULL REFERENCES incidents (report_id) ON DELETE CASCADE,
  workflow_event_id    bigint NOT NULL,
  at                   timestamptz NOT NULL,
  actor                text NOT NULL,
  local_relevance      text NOT NULL,
  geographic_extent    text NOT NULL,
  likelihood_of_spread text NOT NULL,
  plausibility         text NOT NULL,
  source_type          text NOT NULL,
  note                 text
);
CREATE INDEX ldis_assessments_report_idx ON ldis_assessments (report_id, id);

-- The coordinator's linkage decisions as a log of operations (ldis/linkage.ts LinkageOp).
-- An undo is an operation too; nothing is updated or deleted.
CREATE TABLE ldis_linkage_ops (
  id         bigserial PRIMARY KEY,
  type       text NOT NULL CHECK (type IN ('merge', 'split', 'undo')),
  report_ids text[] NOT NULL DEFAULT '{}',
  target     bigint,
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL,
  reason     text,
  CHECK ((type = 'undo') = (target IS NOT NULL)),
  CHECK (type = 'undo' OR cardinality(report_ids) >= 1)
);
CREATE INDEX ldis_linkage_ops_reports_idx ON ldis_linkage_ops USING gin (report_ids);

-- Revisions of a report: each change to its fields (toxicology, coronial findings), with
-- the values before and after, so the history of every report can be shown.
CREATE TABLE ldis_report_revisions (
  report_id text NOT NULL REFERENCES incidents (report_id) ON DELETE CASCADE,
  revision  integer NOT NULL CHECK (revision >= 1),
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text NOT NULL,
  reason    text NOT NULL,
  changes   jsonb NOT NULL,
  PRIMARY KEY (report_id, revision)
);
