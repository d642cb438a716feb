/**
 * Person histories from the database in the shape the MAT (src/domain/mat) and risk
 * (src/domain/risk) rules take, streamed in batches of people.
 *
 * One query picks the next batch of people (keyset on person_id, scope and filters in
 * SQL), then one query per table loads the batch's records (`person_id = ANY($1)`, using
 * each table's (person_id, date) index), one row per person with the records as JSON
 * (see tableQuery). No per-person queries, and memory is bounded by the batch size. The next batch is fetched
 * while the caller works on the current one.
 */
import type { Db, SqlParam } from './db';
import { TOP_DAY_FIELDS, TOP_NON_NEGATIVE, TOP_SCORE_FIELDS, type DrugTestRow, type PersonHistory, type PrescriptionSegment, type ScReview, type Top } from '../domain/mat';
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

/**
 * Which older records a windowed read leaves out (HistoryQuery.since).
 */
export interface HistorySince {
  /**
   * Per table, the first day read (YYYY-MM-DD): records dated before it are left out; for
   * prescriptions and episodes, those that ended before it. Tables not named are read whole.
   */
  from: Partial<Record<HistoryTable, string>>;
  /** With `from.top`: read also the TOPs of the latest date before it when none is later (a rule reads the latest TOP of any age). */
  latestTop?: boolean;
  /** With `from.drug_tests`: read also, from this earlier day, the positive tests for these substances. */
  positiveTests?: { from: string; substances: readonly string[] } | null;
}

/** The same first day for each of `tables`. */
export function sinceFor(tables: readonly HistoryTable[], date: string): HistorySince {
  const from: Partial<Record<HistoryTable, string>> = {};
  for (const t of tables) from[t] = date;
  return { from };
}

/** A slice of the person_id key space: after `after` (exclusive), up to `upTo` (inclusive); null = open. */
export interface PersonSlice {
  after: string | null;
  upTo: string | null;
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
  /**
   * Leave out records older than any window a rule looks back over (see HistorySince).
   * Continuity reaches back beyond any window, so a caller that classifies from such a
   * cut must know what it leaves out (see addMonths in mat/store.ts).
   */
  since?: HistorySince | null;
  /**
   * Only people whose person_id is after `after` (exclusive) and up to `upTo` (inclusive):
   * a slice of the key space, so that workers can each stream their own part.
   */
  idRange?: PersonSlice | null;
  /**
   * Load TOPs with only what MAT classification reads (top_id, date, opiate_days), except
   * a TOP with an item outside these limits, which comes whole so that the data-quality
   * checks (checkDataQuality) find it. The condition mirrors those checks exactly for the
   * columns' types (days and scores are smallint: always whole; the two quantities are
   * numeric: NaN and ±Infinity count as out of range). For the MAT classification store;
   * rules that read other TOP items (risk, worklists) must not use it.
   */
  narrowTops?: { recallDays: number; scoreMax: number } | null;
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

/**
 * Per table: the columns handed to the rules (in the order they are sent), the date that
 * `asOf` cuts on, and the record order within a person. `from` defaults to the table.
 */
interface TableSpec {
  columns: readonly string[];
  /** SQL expressions of the columns where they are not plain columns of the table (alias t). */
  expressions?: Readonly<Record<string, string>>;
  from?: string;
  date: string;
  /** The `since` condition when it is not `date >= since` ($ = the parameter). */
  since?: string;
  /** Date columns, sent as text: PostgreSQL's JSON output of a date is markedly slower. */
  dates: readonly string[];
  order: readonly string[];
  /**
   * Builds one record from its JSON array (positions as in `columns`). Written out as an
   * object literal so every record of a table has one shape: a generic loop of keyed
   * stores was most of the decoding time at national scale. The person's id is not in the
   * array (every record of a row is the row's person's): it is passed in.
   */
  decode: (a: readonly unknown[], person_id: string) => object;
}

const TABLE_SQL: Record<HistoryTable, TableSpec> = {
  prescriptions: {
    columns: ['prescription_id', 'medication', 'dose_mg', 'start_date', 'end_date', 'supervised', 'pickup', 'reduction_plan', 'planned_end_date', 'prescriber'],
    date: 'start_date',
    since: '(t.end_date IS NULL OR t.end_date >= $)',
    dates: ['start_date', 'end_date', 'planned_end_date'],
    order: ['start_date', 'prescription_id'],
    decode: (a, person_id) => ({ prescription_id: a[0], person_id, medication: a[1], dose_mg: a[2], start_date: a[3], end_date: a[4], supervised: a[5], pickup: a[6], reduction_plan: a[7], planned_end_date: a[8], prescriber: a[9] }),
  },
  top: {
    columns: [
      'top_id', 'date', 'stage', 'opiate_days', 'crack_days', 'cocaine_days', 'amphetamine_days', 'cannabis_days', 'other_days',
      'alcohol_days', 'alcohol_units', 'tobacco_per_day', 'injecting_days', 'sharing', 'shoplifting_days', 'selling_days', 'theft', 'assault',
      'psych_health', 'phys_health', 'quality_of_life', 'paid_work_days', 'education_days', 'acute_housing', 'eviction_risk',
    ],
    date: 'date',
    dates: ['date'],
    order: ['date', 'top_id'],
    decode: (a, person_id) => ({ top_id: a[0], person_id, date: a[1], stage: a[2], opiate_days: a[3], crack_days: a[4], cocaine_days: a[5], amphetamine_days: a[6], cannabis_days: a[7], other_days: a[8], alcohol_days: a[9], alcohol_units: a[10], tobacco_per_day: a[11], injecting_days: a[12], sharing: a[13], shoplifting_days: a[14], selling_days: a[15], theft: a[16], assault: a[17], psych_health: a[18], phys_health: a[19], quality_of_life: a[20], paid_work_days: a[21], education_days: a[22], acute_housing: a[23], eviction_risk: a[24] }),
  },
  drug_tests: { columns: ['test_id', 'date', 'substance', 'result', 'sample'], date: 'date', dates: ['date'],
    order: ['date', 'test_id', 'substance'],
    decode: (a, person_id) => ({ test_id: a[0], person_id, date: a[1], substance: a[2], result: a[3], sample: a[4] }) },
  sc_reviews: {
    // Answers to questionnaire items beyond the four columns, for reviews recorded in Beacon.
    columns: ['review_id', 'date', 'decision', 'diverted', 'vulnerable', 'regular_on_top', 'other_risk', 'rationale', 'next_review_date', 'answers'],
    expressions: { answers: 'e.answers' },
    from: 'sc_reviews t LEFT JOIN sc_review_entries e ON e.review_id = t.review_id',
    date: 'date',
    dates: ['date', 'next_review_date'],
    order: ['date', 'review_id'],
    decode: (a, person_id) => ({ review_id: a[0], person_id, date: a[1], decision: a[2], diverted: a[3], vulnerable: a[4], regular_on_top: a[5], other_risk: a[6], rationale: a[7], next_review_date: a[8], answers: a[9] }),
  },
  episodes: { columns: ['episode_id', 'start_date', 'end_date', 'exit_reason'], date: 'start_date', since: '(t.end_date IS NULL OR t.end_date >= $)', dates: ['start_date', 'end_date'],
    order: ['start_date', 'episode_id'],
    decode: (a, person_id) => ({ episode_id: a[0], person_id, start_date: a[1], end_date: a[2], exit_reason: a[3] }) },
  risk_events: { columns: ['event_id', 'date', 'type', 'detail'], date: 'date', dates: ['date'],
    order: ['date', 'event_id'],
    decode: (a, person_id) => ({ event_id: a[0], person_id, date: a[1], type: a[2], detail: a[3] }) },
  naloxone: { columns: ['supply_id', 'date', 'product', 'recipient'], date: 'date', dates: ['date'],
    order: ['date', 'supply_id'],
    decode: (a, person_id) => ({ supply_id: a[0], person_id, date: a[1], product: a[2], recipient: a[3] }) },
};

/** One record as a JSON array, and the records' order (see tableQuery). */
function recordSql(table: HistoryTable, narrow: TopLimits | null): { record: string; order: string } {
  const t = TABLE_SQL[table];
  const cols = t.columns.map((c) => t.expressions?.[c] ?? (t.dates.includes(c) ? `t.${c}::text` : `t.${c}`)).join(', ');
  // narrowTops: [top_id, date, opiate_days, the whole TOP's array when an item is out of range].
  const record =
    narrow === null ? `json_build_array(${cols})` : `json_build_array(t.top_id, t.date::text, t.opiate_days, CASE WHEN ${topOutOfRangeSql(narrow)} THEN json_build_array(${cols}) END)`;
  return { record, order: t.order.map((c) => `t.${c}`).join(', ') };
}

/**
 * One query per table and batch, answering one row per person whose records come as one
 * JSON array of arrays (`json_agg` in the table's order). A few long strings instead of
 * millions of many-field rows is what makes national-scale loading cheap: the drivers'
 * per-field work (and PGlite's copy between threads) was most of the time, and JSON.parse
 * is native. JSON keeps nulls, numbers, booleans and 'YYYY-MM-DD' dates as the row-by-row
 * drivers returned them (numeric → number, date → string, jsonb → object).
 */
function tableQuery(table: HistoryTable, shape: QueryShape): string {
  const t = TABLE_SQL[table];
  const { record, order } = recordSql(table, shape.narrow);
  if (shape.latestTop) {
    // The TOPs of each person's latest date (on or before asOf, $2): one index probe for
    // the date and one for its TOPs per person (OFFSET 0 keeps both lateral, so the planner
    // cannot turn them into a scan of the whole table).
    if (table !== 'top' || shape.dense || shape.since || shape.positives) throw new Error('latestTop reads TOPs by id alone');
    return `SELECT t.person_id, json_agg(${record} ORDER BY ${order})::text AS rows
              FROM unnest($1::text[]) p(id)
             CROSS JOIN LATERAL (SELECT max(m.date) AS d FROM top m WHERE m.person_id = p.id${shape.cutoff ? ' AND m.date <= $2::date' : ''}) b
             CROSS JOIN LATERAL (SELECT * FROM top x WHERE x.person_id = p.id AND x.date = b.d OFFSET 0) t
             GROUP BY t.person_id`;
  }
  // Parameters, in the order loadTable sends them: ids, (dense) the first and last of
  // them, asOf, since, positive tests' from and substances.
  let n = shape.dense ? 3 : 1;
  const asOf = shape.cutoff ? `$${++n}::date` : null;
  const since = shape.since ? `$${++n}::date` : null;
  // A dense batch's people are consecutive in person_id order (among those chosen): its
  // range bounds the scan to one stretch of the (person_id, date) index, and the ids only
  // filter it (COLLATE "C" keeps them out of the index condition: the same equality,
  // tested in a hash). Given 5,000 ids as the index condition, PostgreSQL judges a scan of
  // the whole table cheaper and makes one per batch. A list of ids (personIds) may be
  // scattered over the whole key space, so it stays the index condition there.
  const where = shape.dense
    ? [`t.person_id >= $2::text`, `t.person_id <= $3::text`, `(t.person_id COLLATE "C") = ANY($1::text[])`]
    : [`t.person_id = ANY($1::text[])`];
  if (asOf !== null) where.push(`t.${t.date} <= ${asOf}`);
  const from = t.from ?? `${table} t`;
  if (since !== null) {
    let cond = t.since === undefined ? `t.${t.date} >= ${since}` : t.since.replace('$', since);
    if (shape.positives) {
      if (table !== 'drug_tests') throw new Error('positiveTests applies to drug tests only');
      // The earlier day bounds the index range; the rest filters within it.
      const pfrom = `$${n + 1}::date`;
      const substances = `$${n + 2}::text[]`;
      cond = `t.date >= ${pfrom} AND (${cond} OR (t.result = 'positive' AND t.substance = ANY(${substances})))`;
    }
    where.push(cond);
  }
  return `SELECT t.person_id, json_agg(${record} ORDER BY ${order})::text AS rows
            FROM ${from}
           WHERE ${where.join(' AND ')}
           GROUP BY t.person_id`;
}

/** What varies between the queries of one table (see tableQuery). */
interface QueryShape {
  /** The batch is a page of consecutive people (see tableQuery), not a list of ids. */
  dense: boolean;
  cutoff: boolean;
  since: boolean;
  latestTop: boolean;
  positives: boolean;
  narrow: TopLimits | null;
}

type TopLimits = NonNullable<HistoryQuery['narrowTops']>;

/** The SQL condition "some item of TOP t is out of range" (see HistoryQuery.narrowTops). */
function topOutOfRangeSql(limits: TopLimits): string {
  const int = (n: number) => {
    if (!Number.isInteger(n)) throw new Error(`narrowTops limit ${n} is not a whole number`);
    return String(n);
  };
  return [
    ...TOP_DAY_FIELDS.map((f) => `NOT (t.${f} BETWEEN 0 AND ${int(limits.recallDays)})`),
    ...TOP_SCORE_FIELDS.map((f) => `NOT (t.${f} BETWEEN 0 AND ${int(limits.scoreMax)})`),
    ...TOP_NON_NEGATIVE.map((f) => `NOT (t.${f} >= 0 AND t.${f} < 'Infinity')`),
  ].join(' OR ');
}

function decodeNarrowTop(a: readonly unknown[], person_id: string): object {
  const whole = a[3];
  if (Array.isArray(whole)) return TABLE_SQL.top.decode(whole, person_id);
  return { top_id: a[0], person_id, date: a[1], opiate_days: a[2] };
}

const QUERIES = new Map<string, string>();
function cachedQuery(table: HistoryTable, shape: QueryShape): string {
  const { narrow } = shape;
  const key = `${table}|${shape.dense}|${shape.cutoff}|${shape.since}|${shape.latestTop}|${shape.positives}|${narrow === null ? '' : `${narrow.recallDays}/${narrow.scoreMax}`}`;
  let q = QUERIES.get(key);
  if (q === undefined) {
    q = tableQuery(table, shape);
    QUERIES.set(key, q);
  }
  return q;
}

/** Turns the JSON arrays of one person back into records keyed by column name. */
function decodeRecords<T>(decode: TableSpec['decode'], json: string, personId: string): T[] {
  const arrays = JSON.parse(json) as unknown[][];
  const out = new Array<T>(arrays.length);
  for (let i = 0; i < arrays.length; i++) out[i] = decode(arrays[i] as unknown[], personId) as T;
  return out;
}

/** Drops nulls so optional columns stay optional (the domain treats absent and null alike). */
function topOf(row: Record<string, unknown>): Top {
  return row as unknown as Top;
}

/**
 * The WHERE clause choosing people after `after` (keyset), and its parameters. The keyset
 * bound is repeated inside the prescription probe: without it PostgreSQL answers the
 * EXISTS with a merge join that reads the prescriptions index from its start for every
 * batch (half a second a batch at national scale).
 */
function peopleFilter(q: HistoryQuery, params: SqlParam[], after: string | null): string {
  const where: string[] = [];
  let bound = '';
  if (after !== null) {
    params.push(after);
    where.push(`p.person_id > $${params.length}`);
    bound = ` AND rx.person_id > $${params.length}`;
  }
  const upTo = q.idRange?.upTo ?? null;
  if (upTo !== null) {
    params.push(upTo);
    where.push(`p.person_id <= $${params.length}`);
  }
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
      `EXISTS (SELECT 1 FROM prescriptions rx WHERE rx.person_id = p.person_id${bound} AND rx.start_date <= ${to} AND (rx.end_date IS NULL OR rx.end_date >= ${from}))`,
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
  const filter = peopleFilter(q, params, after);
  params.push(limit);
  const people = await db.query<PersonRecord>(
    `SELECT p.person_id, p.service_id, p.date_of_birth, p.sex, p.injecting_status, p.housing
       FROM people p WHERE ${filter} ORDER BY p.person_id LIMIT $${params.length}`,
    params,
  );
  const lastRow = people[people.length - 1];
  return { people, last: people.length === limit && lastRow !== undefined ? lastRow.person_id : null };
}

async function loadTable<T extends { person_id: string }>(
  db: Db,
  table: HistoryTable,
  ids: readonly string[],
  range: BatchRange | null,
  asOf: string | null,
  since: HistorySince | null,
  narrowTops: HistoryQuery['narrowTops'] = null,
): Promise<Map<string, T[]>> {
  const dense = range !== null;
  const params: SqlParam[] = dense ? [[...ids], range.first, range.last] : [[...ids]];
  if (asOf !== null) params.push(asOf);
  const from = since?.from[table] ?? null;
  const positives = from !== null && table === 'drug_tests' ? (since?.positiveTests ?? null) : null;
  if (from !== null) params.push(from);
  if (positives !== null) params.push(positives.from, [...positives.substances]);
  const narrow = table === 'top' ? (narrowTops ?? null) : null;
  const shape: QueryShape = { dense, cutoff: asOf !== null, since: from !== null, latestTop: false, positives: positives !== null, narrow };
  const out = new Map<string, T[]>();
  const decode = narrow === null ? TABLE_SQL[table].decode : decodeNarrowTop;
  const read = async (sql: string, p: SqlParam[]) => {
    const rows = await db.query<{ person_id: string; rows: string }>(sql, p);
    for (const r of rows) out.set(r.person_id, decodeRecords<T>(decode, r.rows, r.person_id));
  };
  await read(cachedQuery(table, shape), params);
  if (from !== null && table === 'top' && since?.latestTop === true) {
    // People with no TOP from the window's start: their latest TOPs, of any age.
    const missing = ids.filter((id) => !out.has(id));
    if (missing.length > 0) await read(cachedQuery(table, { ...shape, dense: false, since: false, positives: false, latestTop: true }), asOf === null ? [missing] : [missing, asOf]);
  }
  return out;
}

const EMPTY: never[] = [];

/** The person_id range of a batch: its first and last person. */
interface BatchRange {
  first: string;
  last: string;
}

/** Loads the records of `people` (in person_id order). */
async function loadBatch(db: Db, people: readonly PersonRecord[], q: HistoryQuery): Promise<PersonFullHistory[]> {
  const first = people[0];
  const last = people[people.length - 1];
  if (first === undefined || last === undefined) return [];
  // A page of consecutive people, unless the query names its people.
  const range: BatchRange | null = q.personIds == null ? { first: first.person_id, last: last.person_id } : null;
  const tables = new Set(q.tables ?? ALL_HISTORY_TABLES);
  const ids = people.map((p) => p.person_id);
  const asOf = q.asOf ?? null;
  const load = <T extends { person_id: string }>(table: HistoryTable): Promise<Map<string, T[]>> =>
    tables.has(table) ? loadTable<T>(db, table, ids, range, asOf, q.since ?? null, q.narrowTops) : Promise.resolve(new Map<string, T[]>());
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
  let page = await nextPeople(db, q, q.idRange?.after ?? null, size);
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

/** The MAT records of one person that loadMatRecordsAfter read. */
export interface MatRecordsDelta {
  /** Prescriptions starting after `after`. */
  prescriptions: PrescriptionSegment[];
  /** Of a changed person: their prescriptions started by `after` and ongoing or ending after it (else null). */
  running: PrescriptionSegment[] | null;
  tops: Top[];
  drug_tests: DrugTestRow[];
}

/**
 * The MAT records that can differ from a read of everyone's records up to `after`
 * (YYYY-MM-DD) made earlier, for the month ends up to `upTo`: TOPs and drug tests dated
 * after `after` (and by `upTo`), prescriptions starting after it (and by `upTo`), and, of
 * `changed` people only (whose prescriptions changed since: migration 0017's rx_from),
 * their prescriptions that started by `after` and are ongoing or end after it. Any other
 * change to a person's records is dated on or before `after` and marks the person for a
 * full reread (migration 0015): see the classification store's appendFromHeld. Records
 * are grouped per person in the order streamHistories gives them.
 */
export async function loadMatRecordsAfter(
  db: Db,
  after: string,
  upTo: string,
  changed: readonly string[],
  narrowTops: HistoryQuery['narrowTops'] = null,
): Promise<Map<string, MatRecordsDelta>> {
  // One JSON document per query, [person_id, record] pairs in person order: most people
  // have one or two records here, so a row per person (as streamHistories reads) would
  // cost more in rows than it saves in grouping.
  const read = async <T>(table: 'prescriptions' | 'top' | 'drug_tests', where: string, params: SqlParam[], narrow: TopLimits | null): Promise<Map<string, T[]>> => {
    const { record, order } = recordSql(table, narrow);
    const rows = await db.query<{ rows: string | null }>(`SELECT json_agg(json_build_array(t.person_id, ${record}) ORDER BY t.person_id, ${order})::text AS rows FROM ${table} t WHERE ${where}`, params);
    const decode = narrow === null ? TABLE_SQL[table].decode : decodeNarrowTop;
    const out = new Map<string, T[]>();
    const pairs = JSON.parse(rows[0]?.rows ?? '[]') as [string, unknown[]][];
    let id = '';
    let list: T[] = [];
    for (const [person, a] of pairs) {
      if (person !== id) {
        id = person;
        list = [];
        out.set(id, list);
      }
      list.push(decode(a, id) as T);
    }
    return out;
  };
  const dated = 't.date > $1::date AND t.date <= $2::date';
  const [started, running, tops, tests] = await Promise.all([
    read<PrescriptionSegment>('prescriptions', 't.start_date > $1::date AND t.start_date <= $2::date', [after, upTo], null),
    changed.length === 0
      ? new Map<string, PrescriptionSegment[]>()
      : read<PrescriptionSegment>('prescriptions', 't.person_id = ANY($2::text[]) AND t.start_date <= $1::date AND (t.end_date IS NULL OR t.end_date > $1::date)', [after, [...changed]], null),
    read<Top>('top', dated, [after, upTo], narrowTops ?? null),
    read<DrugTestRow>('drug_tests', dated, [after, upTo], null),
  ]);
  const out = new Map<string, MatRecordsDelta>();
  const of = (id: string): MatRecordsDelta => {
    let d = out.get(id);
    if (d === undefined) {
      d = { prescriptions: [], running: null, tops: [], drug_tests: [] };
      out.set(id, d);
    }
    return d;
  };
  for (const [id, list] of started) of(id).prescriptions = list;
  for (const id of changed) of(id).running = running.get(id) ?? [];
  for (const [id, list] of tops) of(id).tops = list;
  for (const [id, list] of tests) of(id).drug_tests = list;
  return out;
}
