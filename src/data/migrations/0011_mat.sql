-- MAT tracker cache (issue 3): the tracker is computed from every person's history, which
-- takes seconds at national scale; the result is kept here, keyed by what was asked for and
-- by the version of the dataset it was computed from, so that pages are answered at once
-- and a cached answer can never outlive the data it came from.

-- One number that changes whenever any dataset table changes (import, capture on a record,
-- restore): a statement-level trigger on each table bumps it.
CREATE TABLE dataset_version (
  id      boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL
);
INSERT INTO dataset_version (id, version) VALUES (true, 1);

CREATE FUNCTION bump_dataset_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dataset_version SET version = version + 1 WHERE id;
  RETURN NULL;
END;
$$;

CREATE TRIGGER services_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();
CREATE TRIGGER people_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();
CREATE TRIGGER episodes_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON episodes FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();
CREATE TRIGGER prescriptions_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON prescriptions FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();
CREATE TRIGGER top_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON top FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();
CREATE TRIGGER drug_tests_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON drug_tests FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();
CREATE TRIGGER risk_events_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON risk_events FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();
CREATE TRIGGER naloxone_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON naloxone FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();
CREATE TRIGGER sc_reviews_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sc_reviews FOR EACH STATEMENT EXECUTE FUNCTION bump_dataset_version();

-- The organisation-wide tracker (every service, no people) for one month and window.
CREATE TABLE mat_tracker_cache (
  month           text NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  tracker_months  integer NOT NULL CHECK (tracker_months BETWEEN 1 AND 60),
  config_hash     text NOT NULL,
  dataset_version bigint NOT NULL,
  report          jsonb NOT NULL,
  compute_ms      integer NOT NULL,
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (month, tracker_months, config_hash)
);

-- Supervised-consumption reviews recorded in Beacon (issue 3, domain §1.6): the review
-- itself goes into sc_reviews like an imported one (so the tracker, worklists and exports
-- see it at once); the full questionnaire answers, its version and who recorded it are kept
-- beside it.
CREATE TABLE sc_review_entries (
  review_id             text PRIMARY KEY REFERENCES sc_reviews (review_id) ON DELETE CASCADE,
  questionnaire_version text NOT NULL,
  answers               jsonb NOT NULL,
  recommendations       text[] NOT NULL DEFAULT '{}',
  recorded_by           text NOT NULL,
  recorded_at           timestamptz NOT NULL DEFAULT now()
);
