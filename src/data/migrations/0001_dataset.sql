-- Dataset v1 (docs: ../shared/docs/dataset.md). Column names are the file's own, so an
-- import or export maps one to one. Identifiers are the source system's strings.

CREATE TABLE services (
  service_id      text PRIMARY KEY,
  name            text NOT NULL,
  organisation    text,
  local_authority text,
  region          text
);

CREATE TABLE people (
  person_id        text PRIMARY KEY,
  service_id       text NOT NULL REFERENCES services (service_id),
  date_of_birth    date NOT NULL,
  sex              text NOT NULL CHECK (sex IN ('M', 'F', 'X', 'U')),
  nhs_number       text,
  postcode         text,
  injecting_status text CHECK (injecting_status IN ('C', 'P', 'N', 'Z')),
  housing          text CHECK (housing IN ('settled', 'unsettled', 'nfa', 'street', 'hmo')),
  lives_alone      boolean,
  consent          boolean
);
CREATE INDEX people_service_idx ON people (service_id);

CREATE TABLE episodes (
  episode_id  text PRIMARY KEY,
  person_id   text NOT NULL REFERENCES people (person_id),
  start_date  date NOT NULL,
  end_date    date,
  exit_reason text CHECK (exit_reason IN ('planned', 'unplanned', 'transferred', 'prison', 'died', 'other'))
);
CREATE INDEX episodes_person_idx ON episodes (person_id);

CREATE TABLE prescriptions (
  prescription_id  text PRIMARY KEY,
  person_id        text NOT NULL REFERENCES people (person_id),
  medication       text NOT NULL CHECK (medication IN ('methadone', 'buprenorphine', 'buprenorphine_weekly_injection',
                     'buprenorphine_monthly_injection', 'diamorphine', 'morphine_sr', 'other')),
  dose_mg          numeric NOT NULL CHECK (dose_mg >= 0),
  start_date       date NOT NULL,
  end_date         date,
  supervised       boolean,
  pickup           text CHECK (pickup IN ('daily', 'twice_weekly', 'weekly', 'fortnightly')),
  reduction_plan   boolean,
  planned_end_date date,
  prescriber       text
);
CREATE INDEX prescriptions_person_idx ON prescriptions (person_id, start_date);

CREATE TABLE top (
  top_id           text PRIMARY KEY,
  person_id        text NOT NULL REFERENCES people (person_id),
  date             date NOT NULL,
  stage            text CHECK (stage IN ('start', 'review', 'exit', 'post_exit')),
  opiate_days      smallint, crack_days smallint, cocaine_days smallint, amphetamine_days smallint,
  cannabis_days    smallint, other_days smallint, alcohol_days smallint,
  alcohol_units    numeric,
  tobacco_per_day  numeric,
  injecting_days   smallint,
  sharing          boolean,
  shoplifting_days smallint, selling_days smallint,
  theft            boolean, assault boolean,
  psych_health     smallint, phys_health smallint, quality_of_life smallint,
  paid_work_days   smallint, education_days smallint,
  acute_housing    boolean, eviction_risk boolean
);
CREATE INDEX top_person_idx ON top (person_id, date);

CREATE TABLE drug_tests (
  test_id   text NOT NULL,
  person_id text NOT NULL REFERENCES people (person_id),
  date      date NOT NULL,
  substance text NOT NULL,
  result    text NOT NULL CHECK (result IN ('positive', 'negative')),
  sample    text CHECK (sample IN ('urine', 'oral_fluid', 'blood', 'hair')),
  -- One row per substance result: a test is all rows with its test_id.
  PRIMARY KEY (test_id, substance)
);
CREATE INDEX drug_tests_person_idx ON drug_tests (person_id, date);

CREATE TABLE risk_events (
  event_id  text PRIMARY KEY,
  person_id text NOT NULL REFERENCES people (person_id),
  date      date NOT NULL,
  type      text NOT NULL,
  detail    text
);
CREATE INDEX risk_events_person_idx ON risk_events (person_id, date);

CREATE TABLE naloxone (
  supply_id       text PRIMARY KEY,
  date            date NOT NULL,
  product         text NOT NULL CHECK (product IN ('nasal', 'intramuscular')),
  person_id       text REFERENCES people (person_id),
  recipient       text CHECK (recipient IN ('service_user', 'family', 'friend', 'professional', 'organisation')),
  reason          text CHECK (reason IN ('new', 'replacement_used', 'replacement_lost', 'replacement_expired')),
  local_authority text
);
CREATE INDEX naloxone_person_idx ON naloxone (person_id, date);

CREATE TABLE sc_reviews (
  review_id        text PRIMARY KEY,
  person_id        text NOT NULL REFERENCES people (person_id),
  date             date NOT NULL,
  decision         text NOT NULL CHECK (decision IN ('supervised', 'daily_pickup', 'relaxed')),
  diverted         boolean, vulnerable boolean, regular_on_top boolean, other_risk boolean,
  rationale        text,
  next_review_date date
);
CREATE INDEX sc_reviews_person_idx ON sc_reviews (person_id, date);

CREATE TABLE incidents (
  report_id       text PRIMARY KEY,
  received_at     timestamptz NOT NULL,
  source          text NOT NULL,
  event_date      date NOT NULL,
  event_type      text NOT NULL,
  local_authority text NOT NULL,
  age             smallint,
  sex             text,
  postcode        text,
  hmo             boolean,
  street_sleeping boolean,
  class_a_user    boolean,
  in_treatment    boolean,
  route           text,
  naloxone_doses  smallint,
  synthetic_opioid_suspected   boolean,
  forensic_nitazene            boolean,
  tox_tested_nitazene          boolean,
  tox_nitazene_present         boolean,
  tox_n_desethyl_isotonitazene boolean,
  substances      text,
  outcome         text,
  location_type   text,
  notes           text,
  exercise        boolean NOT NULL DEFAULT false
);
CREATE INDEX incidents_area_date_idx ON incidents (local_authority, event_date);
