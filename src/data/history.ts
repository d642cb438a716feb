/**
 * Person histories from the database in the shape the MAT (src/domain/mat) and risk
 * (src/domain/risk) rules take, streamed in batches of people.
 *
 * One query picks the next batch of people (keyset on person_id, scope and filters in
 * SQL), then one query per table loads the batch's records (`person_id = ANY($1)`, using
 * each table's (person_id, date) index); rows are grouped by person in JavaScript. No
 * per-person queries, and memory is bounded by the batch size. The next batch is fetched
 * while the caller works on the current one.
 */
import type { Db, SqlParam } from './db';
import type { DrugTestRow, PersonHistory, PrescriptionSegment, ScReview, Top } from '../domain/mat';
import type { EpisodeRow, NaloxoneRow, PersonRow, RiskEventRow } from '../domain/risk';

/** people.csv columns a report or record shows. */
export interface PersonRecord extends PersonRow {
  person_id: string;
  service_id: string;
  date_of_birth: string;
  sex: string;
}

/** Everything Beacon knows about one person, for both rule modules. */
export interface PersonFullHistory {
  person: PersonRecord;
  /** The MAT input (prescriptions, TOPs, drug tests, SC reviews). */
  mat: PersonHistory & { person_id: string; service_id: string };
  episodes: EpisodeRow[];
  risk_events: RiskEventRow[];
  naloxone: NaloxoneRow[];
}

export type HistoryTable = 'prescriptions' | 'top' | 'drug_tests' | 'sc_reviews' | 'episodes' | 'risk_events' | 'naloxone';
export const ALL_HISTORY_TABLES: readonly HistoryTable[] = ['prescriptions', 'top', 'drug_tests', 'sc_reviews', 'episodes', 'risk_events', 'naloxone'];

export interface HistoryQuery {
  /** Only people of these services (the caller's scope); null/undefined = every service. */
  serviceIds?: readonly string[] | null;
  /** Only these people. */
  personIds?: readonly string[] | null;
  /** Ignore records dated after this day (YYYY-MM-DD): they cannot change a decision on it. */
  asOf?: string | null;
  /**
   * Only people with a prescription segment covering at least one day of
   * [from, to] (YYYY-MM-DD); people who were never in MAT then are skipped in SQL.
   */
  inMatBetween?: { from: string; to: string } | null;
  /** Which record tables to load (default all). */
  tables?: readonly HistoryTable[];
  /** People per batch (default 5,000). */
  batchSize?: number;
}

interface PrescriptionDbRow {
  prescription_id: string;
  person_id: string;
  medication: PrescriptionSegment['medication'];
  dose_mg: number | null;
  start_date: string;
  end_date: string | null;
  supervised: boolean | null;
  pickup: PrescriptionSegment['pickup'];
  reduction_plan: boolean | null;
  planned_end_date: string | null;
  prescriber: string | null;
}

type WithPerson<T> = T & { person_id: string };

const TABLE_SQL: Record<HistoryTable, { columns: string; date: string; order: string }> = {
  prescriptions: {
    columns:
      'prescription_id, person_id, medication, dose_mg, start_date, end_date, supervised, pickup, reduction_plan, planned_end_date, prescriber',
    date: 'start_date',
    order: 'person_id, start_date, prescription_id',
  },
  top: { columns: '*', date: 'date', order: 'person_id, date, top_id' },
  drug_tests: { columns: 'test_id, person_id, date, substance, result, sample', date: 'date', order: 'person_id, date, test_id, substance' },
  sc_reviews: {
    // Answers to questionnaire items beyond the four columns, for reviews recorded in Beacon.
    columns:
      'review_id, person_id, date, decision, diverted, vulnerable, regular_on_top, other_risk, rationale, next_review_date, (SELECT e.answers FROM sc_review_entries e WHERE e.review_id = sc_reviews.review_id) AS answers',
    date: 'date',
    order: 'person_id, date, review_id',
  },
  episodes: { columns: 'episode_id, person_id, start_date, end_date, exit_reason', date: 'start_date', order: 'person_id, start_date, episode_id' },
  risk_events: { columns: 'event_id, person_id, date, type, detail', date: 'date', order: 'person_id, date, event_id' },
  naloxone: { columns: 'supply_id, person_id, date, product, recipient', date: 'date', order: 'person_id, date, supply_id' },
};

function groupBy<T extends { person_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    let list = out.get(r.person_id);
    if (list === undefined) {
      list = [];
      out.set(r.person_id, list);
    }
    list.push(r);
  }
  return out;
}

/** Drops nulls so optional columns stay optional (the domain treats absent and null alike). */
function topOf(row: Record<string, unknown>): Top {
  return row as unknown as Top;
}

/** The WHERE clause choosing people, and its parameters (placeholders from $offset+1). */
function peopleFilter(q: HistoryQuery, params: SqlParam[]): string {
  const where: string[] = [];
  if (q.serviceIds != null) {
    params.push([...q.serviceIds]);
    where.push(`p.service_id = ANY($${params.length}::text[])`);
  }
  if (q.personIds != null) {
    params.push([...q.personIds]);
    where.push(`p.person_id = ANY($${params.length}::text[])`);
  }
  if (q.inMatBetween != null) {
    params.push(q.inMatBetween.to, q.inMatBetween.from);
    const to = `$${params.length - 1}::date`;
    const from = `$${params.length}::date`;
    where.push(
      `EXISTS (SELECT 1 FROM prescriptions rx WHERE rx.person_id = p.person_id AND rx.start_date <= ${to} AND (rx.end_date IS NULL OR rx.end_date >= ${from}))`,
    );
  }
  return where.length === 0 ? 'TRUE' : where.join(' AND ');
}

interface PeopleBatch {
  people: PersonRecord[];
  last: string | null;
}

async function nextPeople(db: Db, q: HistoryQuery, after: string | null, limit: number): Promise<PeopleBatch> {
  const params: SqlParam[] = [];
  const filter = peopleFilter(q, params);
  let keyset = '';
  if (after !== null) {
    params.push(after);
    keyset = ` AND p.person_id > $${params.length}`;
  }
  params.push(limit);
  const people = await db.query<PersonRecord>(
    `SELECT p.person_id, p.service_id, p.date_of_birth, p.sex, p.injecting_status, p.housing
       FROM people p WHERE ${filter}${keyset} ORDER BY p.person_id LIMIT $${params.length}`,
    params,
  );
  const lastRow = people[people.length - 1];
  return { people, last: people.length === limit && lastRow !== undefined ? lastRow.person_id : null };
}

async function loadTable<T extends { person_id: string }>(db: Db, table: HistoryTable, ids: readonly string[], asOf: string | null): Promise<Map<string, T[]>> {
  const t = TABLE_SQL[table];
  const params: SqlParam[] = [[...ids]];
  let cutoff = '';
  if (asOf !== null) {
    params.push(asOf);
    cutoff = ` AND ${t.date} <= $2::date`;
  }
  const rows = await db.query<T>(`SELECT ${t.columns} FROM ${table} WHERE person_id = ANY($1::text[])${cutoff} ORDER BY ${t.order}`, params);
  return groupBy(rows);
}

const EMPTY: never[] = [];

async function loadBatch(db: Db, people: readonly PersonRecord[], q: HistoryQuery): Promise<PersonFullHistory[]> {
  if (people.length === 0) return [];
  const tables = new Set(q.tables ?? ALL_HISTORY_TABLES);
  const ids = people.map((p) => p.person_id);
  const asOf = q.asOf ?? null;
  const load = <T extends { person_id: string }>(table: HistoryTable): Promise<Map<string, T[]>> =>
    tables.has(table) ? loadTable<T>(db, table, ids, asOf) : Promise.resolve(new Map<string, T[]>());
  const [rx, tops, tests, sc, episodes, events, naloxone] = await Promise.all([
    load<PrescriptionDbRow>('prescriptions'),
    load<WithPerson<Record<string, unknown>>>('top'),
    load<WithPerson<DrugTestRow>>('drug_tests'),
    load<WithPerson<ScReview>>('sc_reviews'),
    load<WithPerson<EpisodeRow>>('episodes'),
    load<WithPerson<RiskEventRow>>('risk_events'),
    load<WithPerson<NaloxoneRow>>('naloxone'),
  ]);
  return people.map((person) => {
    const id = person.person_id;
    return {
      person,
      mat: {
        person_id: id,
        service_id: person.service_id,
        prescriptions: rx.get(id) ?? EMPTY,
        tops: (tops.get(id) ?? EMPTY).map(topOf),
        drug_tests: tests.get(id) ?? EMPTY,
        sc_reviews: sc.get(id) ?? EMPTY,
      },
      episodes: episodes.get(id) ?? EMPTY,
      risk_events: events.get(id) ?? EMPTY,
      naloxone: naloxone.get(id) ?? EMPTY,
    };
  });
}

/**
 * Streams the histories of the chosen people in batches, ordered by person_id. The next
 * batch is read while the caller processes the current one.
 */
export async function* streamHistories(db: Db, q: HistoryQuery = {}): AsyncGenerator<PersonFullHistory[]> {
  const size = q.batchSize ?? 5000;
  let page = await nextPeople(db, q, null, size);
  let pending: Promise<PersonFullHistory[]> | null = loadBatch(db, page.people, q);
  while (pending !== null) {
    const current: Promise<PersonFullHistory[]> = pending;
    let nextPage: Promise<PeopleBatch> | null = null;
    if (page.last !== null) nextPage = nextPeople(db, q, page.last, size);
    const batch = await current;
    pending = null;
    if (nextPage !== null) {
      page = await nextPage;
      if (page.people.length > 0) pending = loadBatch(db, page.people, q);
    }
    if (batch.length > 0) yield batch;
  }
}

/** All chosen histories at once (small populations: one person, a test, a service). */
export async function loadHistories(db: Db, q: HistoryQuery = {}): Promise<PersonFullHistory[]> {
  const out: PersonFullHistory[] = [];
  for await (const batch of streamHistories(db, q)) out.push(...batch);
  return out;
}

/** One person's full history, or null when there is no such person (or not in `serviceIds`). */
export async function loadPersonHistory(db: Db, personId: string, q: Omit<HistoryQuery, 'personIds'> = {}): Promise<PersonFullHistory | null> {
  const list = await loadHistories(db, { ...q, personIds: [personId], batchSize: 1 });
  return list[0] ?? null;
}
