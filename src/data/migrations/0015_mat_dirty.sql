-- Which people's MAT classifications changed (issue 3: refresh the tracker without
-- reclassifying everyone). Every write to the records the MAT rules read (prescriptions,
-- TOPs, drug tests, supervised-consumption reviews) and every change of a person's service
-- marks the person here, with the earliest record date the write touched: a change dated
-- D cannot alter a classification on a month end before D, because the rules only look at
-- records dated on or before the day they classify. The classification store
-- (src/data/mat/store.ts) reclassifies only the marked people and then removes the marks it
-- has seen: `xid` is the last writer, and a mark is removed only when that writer was
-- committed in the snapshot the store read it with, so a mark made while the store worked
-- stays for the next refresh. A TRUNCATE marks everyone ('*').

CREATE TABLE mat_dirty (
  person_id text PRIMARY KEY,
  from_date date NOT NULL,
  xid       xid8 NOT NULL DEFAULT pg_current_xact_id()
);

CREATE FUNCTION mat_dirty_upsert(marks mat_dirty[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO mat_dirty AS d (person_id, from_date)
  SELECT m.person_id, m.from_date FROM unnest(marks) m
  ON CONFLICT (person_id) DO UPDATE
    SET from_date = least(d.from_date, EXCLUDED.from_date), xid = pg_current_xact_id();
$$;

-- One function per table (its date column differs); transition tables hold the statement's rows.
CREATE FUNCTION mat_dirty_prescriptions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(start_date), '0')::mat_dirty FROM new_rows GROUP BY person_id));
  ELSIF TG_OP = 'UPDATE' THEN
    -- A change of the end date alone (a segment closed at a dose change, the usual monthly
    -- update) cannot alter a day before both the old and the new end: coverage, continuity,
    -- doses and evidence on such a day are the same either way. Any other change counts
    -- from the segment's start.
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(d), '0')::mat_dirty FROM (
      SELECT n.person_id,
             CASE WHEN (n.person_id, n.medication, n.dose_mg, n.start_date, n.supervised, n.pickup, n.reduction_plan, n.planned_end_date, n.prescriber)
                       IS NOT DISTINCT FROM (o.person_id, o.medication, o.dose_mg, o.start_date, o.supervised, o.pickup, o.reduction_plan, o.planned_end_date, o.prescriber)
                  THEN least(coalesce(o.end_date, 'infinity'), coalesce(n.end_date, 'infinity'))
                  ELSE least(o.start_date, n.start_date) END AS d
        FROM new_rows n JOIN old_rows o ON o.prescription_id = n.prescription_id
      UNION ALL
      SELECT o.person_id, o.start_date FROM old_rows o JOIN new_rows n ON n.prescription_id = o.prescription_id WHERE n.person_id <> o.person_id
    ) u WHERE d < 'infinity' GROUP BY person_id));
  ELSE
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(start_date), '0')::mat_dirty FROM old_rows GROUP BY person_id));
  END IF;
  RETURN NULL;
END;
$$;

-- top, drug_tests and sc_reviews all date their rows in `date`.
CREATE FUNCTION mat_dirty_dated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(date), '0')::mat_dirty FROM new_rows GROUP BY person_id));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(d), '0')::mat_dirty FROM (
      SELECT person_id, date AS d FROM new_rows UNION ALL SELECT person_id, date FROM old_rows) u GROUP BY person_id));
  ELSE
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(date), '0')::mat_dirty FROM old_rows GROUP BY person_id));
  END IF;
  RETURN NULL;
END;
$$;

-- A person moving to another service changes every month's figures of both services.
CREATE FUNCTION mat_dirty_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mat_dirty_upsert(ARRAY(
    SELECT ROW(n.person_id, '-infinity'::date, '0')::mat_dirty
      FROM new_rows n JOIN old_rows o ON o.person_id = n.person_id
     WHERE n.service_id IS DISTINCT FROM o.service_id));
  RETURN NULL;
END;
$$;

CREATE FUNCTION mat_dirty_everyone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mat_dirty_upsert(ARRAY[ROW('*', '-infinity'::date, '0')::mat_dirty]);
  RETURN NULL;
END;
$$;

CREATE TRIGGER prescriptions_mat_ins AFTER INSERT ON prescriptions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_prescriptions();
CREATE TRIGGER prescriptions_mat_upd AFTER UPDATE ON prescriptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_prescriptions();
CREATE TRIGGER prescriptions_mat_del AFTER DELETE ON prescriptions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_prescriptions();
CREATE TRIGGER prescriptions_mat_trunc AFTER TRUNCATE ON prescriptions FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_everyone();

CREATE TRIGGER top_mat_ins AFTER INSERT ON top REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER top_mat_upd AFTER UPDATE ON top REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER top_mat_del AFTER DELETE ON top REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER top_mat_trunc AFTER TRUNCATE ON top FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_everyone();

CREATE TRIGGER drug_tests_mat_ins AFTER INSERT ON drug_tests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER drug_tests_mat_upd AFTER UPDATE ON drug_tests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER drug_tests_mat_del AFTER DELETE ON drug_tests REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER drug_tests_mat_trunc AFTER TRUNCATE ON drug_tests FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_everyone();

CREATE TRIGGER sc_reviews_mat_ins AFTER INSERT ON sc_reviews REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER sc_reviews_mat_upd AFTER UPDATE ON sc_reviews REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER sc_reviews_mat_del AFTER DELETE ON sc_reviews REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_dated();
CREATE TRIGGER sc_reviews_mat_trunc AFTER TRUNCATE ON sc_reviews FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_everyone();

CREATE TRIGGER people_mat_upd AFTER UPDATE ON people REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_people();
CREATE TRIGGER people_mat_trunc AFTER TRUNCATE ON people FOR EACH STATEMENT EXECUTE FUNCTION mat_dirty_everyone();
