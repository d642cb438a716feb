-- Which people's prescriptions changed, and from which date (issue 3: adding the next month
-- to the MAT classification store in seconds). Every mark keeps, beside the earliest date any
-- MAT record change touched (from_date), the earliest date a change to a prescription touched
-- (rx_from; null when none). The store holds each person's records from the window of its
-- last month end and, to add the next month, reads again only the TOPs and tests dated after
-- it and the prescriptions of the people whose rx_from is after it (see appendFromHeld in
-- src/data/mat/store.ts), instead of every ongoing prescription.
--
-- The composite type mat_dirty gains the column, so every function building marks is
-- replaced to give it (the dated tables and people leave it null or as from_date).

ALTER TABLE mat_dirty ADD COLUMN rx_from date;

CREATE OR REPLACE FUNCTION mat_dirty_upsert(marks mat_dirty[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO mat_dirty AS d (person_id, from_date, rx_from)
  SELECT m.person_id, m.from_date, m.rx_from FROM unnest(marks) m
  ON CONFLICT (person_id) DO UPDATE
    SET from_date = least(d.from_date, EXCLUDED.from_date),
        rx_from = least(d.rx_from, EXCLUDED.rx_from),
        xid = pg_current_xact_id();
$$;

CREATE OR REPLACE FUNCTION mat_dirty_prescriptions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(start_date), '0', min(start_date))::mat_dirty FROM new_rows GROUP BY person_id));
  ELSIF TG_OP = 'UPDATE' THEN
    -- As in 0015: a change of the end date alone counts from the earlier of the two ends.
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(d), '0', min(d))::mat_dirty FROM (
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
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(start_date), '0', min(start_date))::mat_dirty FROM old_rows GROUP BY person_id));
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION mat_dirty_dated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(date), '0', NULL)::mat_dirty FROM new_rows GROUP BY person_id));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(d), '0', NULL)::mat_dirty FROM (
      SELECT person_id, date AS d FROM new_rows UNION ALL SELECT person_id, date FROM old_rows) u GROUP BY person_id));
  ELSE
    PERFORM mat_dirty_upsert(ARRAY(SELECT ROW(person_id, min(date), '0', NULL)::mat_dirty FROM old_rows GROUP BY person_id));
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION mat_dirty_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mat_dirty_upsert(ARRAY(
    SELECT ROW(n.person_id, '-infinity'::date, '0', '-infinity'::date)::mat_dirty
      FROM new_rows n JOIN old_rows o ON o.person_id = n.person_id
     WHERE n.service_id IS DISTINCT FROM o.service_id));
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION mat_dirty_everyone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mat_dirty_upsert(ARRAY[ROW('*', '-infinity'::date, '0', '-infinity'::date)::mat_dirty]);
  RETURN NULL;
END;
$$;
