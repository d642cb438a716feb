/**
 * The MAT classification store (issue 3: the tracker refreshed in seconds, not recomputed).
 *
 * The tracker needs every person in MAT classified at every month end of its window. This
 * module keeps those classifications in memory, per database, one compact row per person
 * (a 32-bit code and the dose for each month end, plus the person's record-level
 * data-quality issues with their record dates), and keeps them current from the marks that
 * migration 0015's triggers leave in `mat_dirty`:
 *
 * - the first tracker classifies everyone in MAT during its months (the same pass as
 *   matReport);
 * - afterwards only the people marked since are reclassified, and only when a mark's date
 *   is on or before the last month end held (a record dated after it cannot change a
 *   classification held); a month end not yet held is classified for everyone in MAT then;
 * - marks are removed once seen (see the migration for why none is lost to a concurrent
 *   writer), and a different MAT configuration starts a new store.
 *
 * The report is then shaped from the held classifications by matReport's own code, in
 * person order, so the store answers exactly what matReport answers (tested). One store
 * per database and process: a second process on the same database would take the marks
 * this one needs, so only the server keeps a store (the CLI computes directly).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db';
import { planWorkers, runBatchWorker, siblingModule } from '../workers';
import {
  MEDICATIONS,
  TrackerAccumulator,
  checkDataQuality,
  classificationWindowStart,
  planMayStartBeforeWindow,
  classifyMonthEnds,
  defaultMatConfig,
  inMatNoDoseIssue,
  isoOf,
  monthEnd,
  monthsEndingWith,
  prepareHistory,
  toDayNumber,
  toDayNumberOrNull,
  type ClassifiedRow,
  type DataQualityIssue,
  type DrugTestRow,
  type MatConfig,
  type PersonHistory,
  type PrescriptionSegment,
  type Top,
} from '../../domain/mat';
import { loadMatRecordsAfter, sinceFor, streamHistories, type HistoryTable, type MatRecordsDelta, type PersonFullHistory, type PersonSlice } from '../history';
import { assertMonth, listServices, shapeMatReport, type MatReport, type TrackerParts } from './report';

export function configHash(config: MatConfig): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------
// A classification in 32 bits: stage (3), in MAT (1), cohort (3), band (2), regime (3),
// medication (4), "in MAT with no dose" (1). 0 = not in MAT.

type Slim = ClassifiedRow['classification'];

const STAGES = [null, 'MAT1', 'MAT2', 'MAT3', 'MAT4', 'uncategorised'] as const;
const COHORTS = [null, 'red', 'amber', 'green', 'grey'] as const;
const BANDS = [null, 'below', 'at_or_above', 'n/a'] as const;
const REGIMES = [null, 'increasing', 'static', 'reducing', 'detox'] as const;
const MEDS = [null, ...MEDICATIONS] as const;
const IN_MAT = 1 << 3;
const NO_DOSE = 1 << 20;

function indexer<T>(values: readonly (T | null)[]): (v: T | null) => number {
  const m = new Map<T | null, number>(values.map((v, i) => [v, i]));
  return (v) => {
    const i = m.get(v);
    if (i === undefined) throw new Error(`Unknown classification value ${String(v)}`);
    return i;
  };
}
const stageIx = indexer<Slim['stage']>(STAGES);
const cohortIx = indexer<Slim['cohort']>(COHORTS);
const bandIx = indexer<Slim['ogBand']>(BANDS);
const regimeIx = indexer<Slim['regime']>(REGIMES);
const medIx = indexer<Slim['medication']>(MEDS);

function encode(c: Slim, noDose: boolean): number {
  return stageIx(c.stage) | IN_MAT | (cohortIx(c.cohort) << 4) | (bandIx(c.ogBand) << 7) | (regimeIx(c.regime) << 9) | (medIx(c.medication) << 12) | (noDose ? NO_DOSE : 0);
}

type MutableSlim = { -readonly [K in keyof Slim]: Slim[K] };

/** Decodes into `into` (a scratch object for the accumulators, which keep nothing) or a new object. */
function decode(code: number, dose: number, into: MutableSlim = { inMat: true, stage: null, cohort: null, ogBand: null, regime: null, medication: null, doseMg: null }): Slim {
  into.inMat = true;
  into.stage = STAGES[code & 7] ?? null;
  into.cohort = COHORTS[(code >> 4) & 7] ?? null;
  into.ogBand = BANDS[(code >> 7) & 3] ?? null;
  into.regime = REGIMES[(code >> 9) & 7] ?? null;
  into.medication = MEDS[(code >> 12) & 15] ?? null;
  into.doseMg = Number.isNaN(dose) ? null : dose;
  return into;
}

// ---------------------------------------------------------------------------------------
// The store

interface DatedIssue {
  /** Day number of the record the issue is about (it exists on every month end from then). */
  day: number;
  issue: DataQualityIssue;
}

interface Entry {
  service: string;
  /**
   * Per store month: the classification code (0 = not in MAT on that month end). Plain
   * arrays, not typed ones: hundreds of thousands of small typed arrays cost far more to
   * allocate and collect (each has its own buffer) than V8's packed small-integer and
   * double arrays.
   */
  codes: number[];
  /** Per store month: the dose (NaN = none). */
  doses: number[];
  /** Record-level data-quality issues (checked on the records up to `issuesTo`), or null. */
  issues: DatedIssue[] | null;
  issuesTo: string;
}

/**
 * One person's MAT records as the next month's classification reads them (see Store.held):
 * prescriptions running on or after the start of that month end's window (heldCut), and
 * TOPs and drug tests dated from it, as the database had them.
 */
interface HeldRecords {
  service: string;
  prescriptions: PrescriptionSegment[];
  tops: Top[];
  tests: DrugTestRow[];
  /** No prescription of the person's was left out (they go back to the first). */
  whole: boolean;
}

interface Store {
  hash: string;
  config: MatConfig;
  /** Month ends held, ascending ('YYYY-MM'). */
  months: string[];
  entries: Map<string, Entry>;
  /** Person ids in order (rebuilt when people come or go). */
  order: string[] | null;
  /**
   * The records the next month end's classification reads, per person, as read up to
   * `heldTo` (the last month end held), or null when not kept. Adding the next month then
   * reads only what can have changed since (loadMatRecordsAfter) instead of everyone's
   * window (see appendFromHeld). Anyone not held is read from the database.
   */
  held: Map<string, HeldRecords> | null;
  heldTo: string | null;
  /**
   * People whose prescriptions changed on a date after `heldTo` (marks' rx_from, already
   * cleared), with the earliest such date: the next append rereads their running
   * prescriptions.
   */
  pendingRx: Map<string, string>;
  /**
   * Tracker figures of the month ends computed so far (by month), kept up to date as
   * people are reclassified (setEntry); a month end added is computed when first asked for.
   */
  totals: Map<string, MonthTotals>;
}

/** The tracker figures of one month end held: the organisation's and each service's. */
interface MonthTotals {
  org: TrackerAccumulator;
  svc: Map<string, TrackerAccumulator>;
}

const scratchSlim = (): MutableSlim => ({ inMat: true, stage: null, cohort: null, ogBand: null, regime: null, medication: null, doseMg: null });

/** Adds (or takes back) one person's classifications to the month totals held. */
function contribute(store: Store, e: Entry, op: 'add' | 'remove'): void {
  const c = scratchSlim();
  for (const [month, tot] of store.totals) {
    const i = store.months.indexOf(month);
    const code = e.codes[i] ?? 0;
    if (code === 0) continue;
    decode(code, e.doses[i] as number, c);
    tot.org[op](c);
    let acc = tot.svc.get(e.service);
    if (acc === undefined) {
      acc = new TrackerAccumulator();
      tot.svc.set(e.service, acc);
    }
    acc[op](c);
  }
}

/** Replaces a person's entry (null: removes it), keeping the month totals and the order right. */
function setEntry(store: Store, id: string, e: Entry | null): void {
  const old = store.entries.get(id);
  if (old !== undefined) contribute(store, old, 'remove');
  if (e === null) store.entries.delete(id);
  else {
    store.entries.set(id, e);
    contribute(store, e, 'add');
  }
  if ((old !== undefined) !== (e !== null)) store.order = null;
}

/** What the last refresh of a database's store did (for tests, logs and the bench). */
export interface StoreRefresh {
  mode: 'built' | 'incremental' | 'unchanged';
  /** People classified again because records of theirs changed. */
  reclassified: number;
  /** Month ends added to the store (classified for everyone in MAT on them). */
  monthsAdded: string[];
  ms: number;
  /** Worker threads the refresh's full pass ran on (0: this thread, or no full pass). */
  threads: number;
}

/** Longest window kept; older month ends are dropped when a request needs room. */
const MAX_MONTHS = 60;

/** The month ends a store holds after adding `more`: both lists, ascending, the latest MAX_MONTHS. */
function monthsToHold(held: readonly string[], more: readonly string[]): string[] {
  return [...new Set([...held, ...more])].sort().slice(-MAX_MONTHS);
}
/** Above this share of the store's people marked, a full rebuild is cheaper than one by one. */
const REBUILD_SHARE = 0.4;
/**
 * The records classification reads. Not SC reviews: the only rule reading them here is
 * the data-quality check "date is not a date", which a database date column cannot fail
 * (matReport, which loads them, can never list such an issue either).
 */
const MAT_TABLES: readonly HistoryTable[] = ['prescriptions', 'top', 'drug_tests'];

const stores = new WeakMap<Db, Store>();
const locks = new WeakMap<Db, Promise<unknown>>();
const lastRefresh = new WeakMap<Db, StoreRefresh>();
/** Worker threads of the current refresh's full passes (for StoreRefresh.threads). */
const passThreads = new WeakMap<Db, number>();

function recordDays(h: PersonHistory): Map<string, number> {
  const m = new Map<string, number>();
  const put = (kind: string, id: string, date: string | null | undefined) => m.set(`${kind}:${id}`, (date ? toDayNumberOrNull(date) : null) ?? Number.NEGATIVE_INFINITY);
  for (const r of h.prescriptions) put('prescription', r.prescription_id, r.start_date);
  for (const r of h.tops) put('top', r.top_id, r.date);
  for (const r of h.drug_tests) put('drug_test', r.test_id, r.date);
  for (const r of h.sc_reviews ?? []) put('sc_review', r.review_id, r.date);
  return m;
}

/** One person classified at `months` (store order); null when in MAT on none of them. */
function classifyEntry(id: string, service: string, mat: PersonHistory, months: readonly string[], ends: readonly string[], asOf: string, config: MatConfig): Entry | null {
  const prepared = prepareHistory(mat, config);
  const cs = classifyMonthEnds(prepared, months, config, { reasons: false });
  const codes = new Array<number>(months.length).fill(0);
  const doses = new Array<number>(months.length).fill(Number.NaN);
  let any = false;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    if (c === undefined || !c.inMat) continue;
    any = true;
    const noDose = inMatNoDoseIssue(prepared.prescriptions, ends[i] as string, id) !== null;
    codes[i] = encode(c, noDose);
    doses[i] = c.doseMg ?? Number.NaN;
  }
  if (!any) return null;
  const found = checkDataQuality(mat, null, config);
  let issues: DatedIssue[] | null = null;
  if (found.length > 0) {
    const days = recordDays(mat);
    issues = found.map((issue) => ({ issue, day: days.get(`${issue.record.kind}:${issue.record.id}`) ?? Number.NEGATIVE_INFINITY }));
  }
  return { service, codes, doses, issues, issuesTo: asOf };
}

/** classifyEntry of a loaded history. */
function classifyLoaded(h: PersonFullHistory, months: readonly string[], ends: readonly string[], asOf: string, config: MatConfig): Entry | null {
  return classifyEntry(h.person.person_id, h.person.service_id, h.mat, months, ends, asOf, config);
}

/**
 * The first day of the window the classification of the month end after `lastEnd` reads
 * (classificationWindowStart; later month ends' windows start later still).
 */
function heldCut(lastEnd: string, config: MatConfig): string {
  const next = monthEnd(isoOf(toDayNumber(lastEnd) + 1).slice(0, 7));
  return isoOf(classificationWindowStart(toDayNumber(next), config));
}

/**
 * A person's records from `cut` on (see HeldRecords), or null when no prescription of theirs
 * runs on or after it (they cannot be in MAT on a later month end without a new one, which
 * the next append reads, and then their records come from the database). When the earliest
 * prescription kept would be part of a reduction plan, every prescription is kept: the
 * plan's start decides detoxification (planMayStartBeforeWindow).
 */
function heldWindow(
  service: string,
  records: { prescriptions: readonly PrescriptionSegment[]; tops: readonly Top[]; drug_tests: readonly DrugTestRow[] },
  cut: string,
  whole: boolean,
): HeldRecords | null {
  const rx = records.prescriptions.filter((r) => r.end_date === null || r.end_date >= cut);
  if (rx.length === 0) return null;
  const keepAll = planMayStartBeforeWindow(rx);
  return {
    service,
    prescriptions: (keepAll ? records.prescriptions : rx).map(heldPrescription),
    tops: records.tops.filter((r) => r.date >= cut),
    tests: records.drug_tests.filter((r) => r.date >= cut).map(heldTest),
    whole: keepAll ? whole : false,
  };
}

/**
 * What the store's classification and data-quality checks read of a prescription (not who
 * prescribed it, supervision or pick-up, which only the tracker's people and SC lists show):
 * held for some 150,000 people, the fields left out would be tens of megabytes.
 */
function heldPrescription(r: PrescriptionSegment): PrescriptionSegment {
  return { prescription_id: r.prescription_id, medication: r.medication, dose_mg: r.dose_mg, start_date: r.start_date, end_date: r.end_date, reduction_plan: r.reduction_plan ?? null, planned_end_date: r.planned_end_date ?? null };
}

/** What classification reads of a drug test (not the sample). */
function heldTest(r: DrugTestRow): DrugTestRow {
  return { test_id: r.test_id, date: r.date, substance: r.substance, result: r.result };
}

/** True for a prescription a read up to `after` may have had otherwise (loadMatRecordsAfter reads it again). */
function mayChangeAfter(r: PrescriptionSegment, after: string): boolean {
  return r.start_date > after || r.end_date === null || r.end_date > after;
}

function byStart(a: PrescriptionSegment, b: PrescriptionSegment): number {
  return a.start_date < b.start_date ? -1 : a.start_date > b.start_date ? 1 : a.prescription_id < b.prescription_id ? -1 : a.prescription_id > b.prescription_id ? 1 : 0;
}

/** Whether a prescription covers at least one day of [from, to] (the passes' inMatBetween). */
function coversSome(rx: readonly PrescriptionSegment[], from: string, to: string): boolean {
  for (const r of rx) if (r.start_date <= to && (r.end_date === null || r.end_date >= from)) return true;
  return false;
}

/** Receives the records a pass read of one person, cut to the window (null: nothing to hold). */
type Hold = (id: string, records: HeldRecords | null) => void;

interface ClassifyAllOptions {
  /** Only these people (marked ones); otherwise everyone in MAT on any of `months`. */
  personIds?: readonly string[];
  /** Leave out records dated before this day, and prescriptions ended before it (see addMonths). */
  since?: string;
  /** Receives each person's records from the window of the month end after the last of `months`. */
  hold?: Hold;
}

/**
 * Takes one person's fresh classification. `whole` tells whether it came from the person's
 * whole history (always, unless the pass read a window: see classifyStream).
 */
type Take = (id: string, e: Entry | null, whole: boolean) => void;

/** Classifies, at `months`, everyone in MAT on any of them; calls `take` per person. */
async function classifyAll(db: Db, months: readonly string[], config: MatConfig, take: Take, opts: ClassifyAllOptions = {}): Promise<void> {
  if (months.length === 0) return;
  if (opts.personIds === undefined) {
    const threads = await classifyAllInWorkers(db, months, config, take, opts.since ?? null, opts.hold ?? null);
    passThreads.set(db, Math.max(passThreads.get(db) ?? 0, threads));
    if (threads > 0) return;
  }
  await classifyStream(db, months, config, take, { personIds: opts.personIds ?? null, since: opts.since ?? null, idRange: null, hold: opts.hold ?? null });
}

interface StreamJob {
  personIds: readonly string[] | null;
  since: string | null;
  idRange: PersonSlice | null;
  hold: Hold | null;
  /** People per batch read (default 5,000). */
  batchSize?: number;
}

/**
 * The classification pass itself, on this thread (or on a worker's, see store-worker.ts).
 * A windowed pass (`since`) reads again in full, at its end, everyone whose earliest
 * prescription read is part of a reduction plan that may have started before the window
 * (planMayStartBeforeWindow): the plan's start decides detoxification.
 */
async function classifyStream(db: Db, months: readonly string[], config: MatConfig, take: Take, job: StreamJob): Promise<void> {
  const ends = months.map(monthEnd);
  const asOf = ends[ends.length - 1] as string;
  const { personIds } = job;
  const query = (since: string | null, ids: readonly string[] | null) =>
    streamHistories(db, {
      asOf,
      personIds: ids,
      inMatBetween: ids === null ? { from: ends[0] as string, to: asOf } : null,
      tables: MAT_TABLES,
      // Only what classification and the data-quality checks read of each TOP.
      narrowTops: { recallDays: config.top.recallDays, scoreMax: config.top.scoreMax },
      batchSize: job.batchSize,
      since: since === null ? null : sinceFor(MAT_TABLES, since),
      idRange: ids === null ? job.idRange : null,
    });
  const seen = new Set<string>();
  const again: string[] = [];
  const cut = heldCut(asOf, config);
  const hold = (h: PersonFullHistory, whole: boolean) => job.hold?.(h.person.person_id, heldWindow(h.person.service_id, h.mat, cut, whole));
  for await (const batch of query(job.since, personIds)) {
    for (const h of batch) {
      seen.add(h.person.person_id);
      if (job.since !== null && planMayStartBeforeWindow(h.mat.prescriptions)) {
        again.push(h.person.person_id);
        continue;
      }
      take(h.person.person_id, classifyLoaded(h, months, ends, asOf, config), job.since === null);
      hold(h, job.since === null);
    }
  }
  for (let i = 0; i < again.length; i += 5000) {
    for await (const batch of query(null, again.slice(i, i + 5000))) {
      for (const h of batch) {
        take(h.person.person_id, classifyLoaded(h, months, ends, asOf, config), true);
        hold(h, true);
      }
    }
  }
  // Marked people who no longer exist.
  if (personIds !== null) {
    for (const id of personIds) {
      if (seen.has(id)) continue;
      take(id, null, true);
      job.hold?.(id, null);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Worker threads (PostgreSQL only). Classifying everyone is CPU work on both sides: the
// server building each person's records as JSON and this process decoding and classifying
// them. Split by person_id into one slice per worker, each worker with its own connections,
// both run on every core, and this thread's event loop stays free for requests meanwhile.

/** What a worker is asked to do (structured-cloned to it). */
export interface WorkerJob {
  url: string;
  months: string[];
  config: MatConfig;
  since: string | null;
  slice: PersonSlice;
  /** Send each person's window of records back too (EntryBatch.held). */
  hold: boolean;
}

/** A batch of classified people, sent back from a worker (codes and doses person-major). */
export interface EntryBatch {
  ids: string[];
  services: string[];
  codes: Int32Array<ArrayBuffer>;
  doses: Float64Array<ArrayBuffer>;
  /** 1 where the classification came from the whole history (see Take). */
  whole: Uint8Array<ArrayBuffer>;
  issues: (DatedIssue[] | null)[];
  /** With WorkerJob.hold: JSON of [person_id, HeldRecords | null] pairs (one string: cheap to post and parse). */
  held: string | null;
}

const WORKER_BATCH = 5000;
/** People per batch a worker reads. */
const WORKER_READ_BATCH = 2500;

/** Runs a worker's job on its own connection; hands each batch of people in MAT to `send`. */
export async function runWorkerJob(db: Db, job: WorkerJob, send: (b: EntryBatch) => void): Promise<void> {
  const m = job.months.length;
  let ids: string[] = [];
  let services: string[] = [];
  let issues: (DatedIssue[] | null)[] = [];
  let whole: number[] = [];
  let codes: number[] = [];
  let doses: number[] = [];
  let held: [string, HeldRecords | null][] = [];
  const flush = () => {
    if (ids.length === 0 && held.length === 0) return;
    send({ ids, services, codes: Int32Array.from(codes), doses: Float64Array.from(doses), whole: Uint8Array.from(whole), issues, held: job.hold ? JSON.stringify(held) : null });
    held = [];
    ids = [];
    services = [];
    issues = [];
    whole = [];
    codes = [];
    doses = [];
  };
  await classifyStream(
    db,
    job.months,
    job.config,
    (id, e, fromWhole) => {
      if (e === null) return;
      ids.push(id);
      services.push(e.service);
      issues.push(e.issues);
      whole.push(fromWhole ? 1 : 0);
      for (let i = 0; i < m; i++) {
        codes.push(e.codes[i] as number);
        doses.push(e.doses[i] as number);
      }
      if (ids.length >= WORKER_BATCH) flush();
    },
    // Smaller batches than on one thread: each worker has two in flight, beside the
    // server's own memory (the API server stays under 1 GB while the store is built).
    { personIds: null, since: job.since, idRange: job.slice, hold: job.hold ? (id, r) => held.push([id, r]) : null, batchSize: WORKER_READ_BATCH },
  );
  flush();
}

/**
 * A full pass (no personIds) in worker threads when the database is PostgreSQL and the
 * population is large enough to repay starting them. Returns how many workers ran it, 0
 * when it did not run (the caller then classifies on this thread).
 */
async function classifyAllInWorkers(db: Db, months: readonly string[], config: MatConfig, take: Take, since: string | null, hold: Hold | null): Promise<number> {
  const plan = await planWorkers(db);
  if (plan === null) return 0;
  const { url, slices } = plan;
  const m = months.length;
  // Every entry of a pass has been checked for data quality up to its last month end.
  const issuesTo = monthEnd(months[m - 1] as string);
  const worker = siblingModule(import.meta.url, 'store-worker');
  const jobs: Promise<void>[] = [];
  for (const slice of slices) {
    const job: WorkerJob = { url, months: [...months], config, since, slice, hold: hold !== null };
    jobs.push(
      runBatchWorker<EntryBatch>(worker, job, (b) => {
        if (hold !== null && b.held !== null) for (const [id, r] of JSON.parse(b.held) as [string, HeldRecords | null][]) hold(id, r);
        for (let i = 0; i < b.ids.length; i++) {
          const codes = new Array<number>(m);
          const doses = new Array<number>(m);
          for (let j = 0; j < m; j++) {
            codes[j] = b.codes[i * m + j] as number;
            doses[j] = b.doses[i * m + j] as number;
          }
          take(b.ids[i] as string, { service: b.services[i] as string, codes, doses, issues: b.issues[i] ?? null, issuesTo }, b.whole[i] === 1);
        }
      }),
    );
  }
  await Promise.all(jobs);
  return slices.length;
}

async function build(db: Db, config: MatConfig, months: string[]): Promise<Store> {
  const held = new Map<string, HeldRecords>();
  const store: Store = { hash: configHash(config), config, months, entries: new Map(), order: null, held, heldTo: monthEnd(months[months.length - 1] as string), pendingRx: new Map(), totals: new Map() };
  await classifyAll(
    db,
    months,
    config,
    (id, e) => {
      if (e !== null) store.entries.set(id, e);
    },
    { hold: holdInto(held) },
  );
  return store;
}

function holdInto(held: Map<string, HeldRecords>): Hold {
  return (id, r) => {
    if (r === null) held.delete(id);
    else held.set(id, r);
  };
}

/** Re-lays entries' arrays on a new month list (new months empty). */
function relayout(entries: Iterable<Entry>, from: readonly string[], to: readonly string[]): void {
  if (to.length > from.length && from.every((m, i) => to[i] === m)) {
    // Months added after the ones held (the usual next month): extend in place.
    const more = to.length - from.length;
    for (const e of entries) {
      for (let k = 0; k < more; k++) {
        e.codes.push(0);
        e.doses.push(Number.NaN);
      }
    }
    return;
  }
  const at = new Map(from.map((m, i) => [m, i]));
  const source = to.map((m) => at.get(m) ?? -1);
  for (const e of entries) {
    const codes = new Array<number>(to.length).fill(0);
    const doses = new Array<number>(to.length).fill(Number.NaN);
    for (let j = 0; j < source.length; j++) {
      const i = source[j] as number;
      if (i < 0) continue;
      codes[j] = e.codes[i] as number;
      doses[j] = e.doses[i] as number;
    }
    e.codes = codes;
    e.doses = doses;
  }
}

/**
 * Adds month ends to the store: classifies everyone in MAT on them and merges.
 *
 * Month ends after every one held (the next month's tracker) are classified from a window
 * (classificationWindowStart): prescriptions still running at its start or later, and TOPs,
 * drug tests and SC reviews dated in it. They come from the records held for it (Store.held,
 * see appendFromHeld) or, when none are held, from the database. A person is loaded in full
 * instead when that could differ: when the earliest segment loaded is part of a reduction
 * plan (the plan may have started before the window, and its start decides
 * "detoxification"), when the person is new to the store, or when the person's data-quality
 * issues were checked only up to a date before the window. The data-quality issues of the
 * records left out are those held from the person's last full load; the window's own
 * records add theirs.
 */
async function addMonths(db: Db, store: Store, missing: string[], early: Promise<Map<string, MatRecordsDelta>> | null = null): Promise<void> {
  const previous = store.months;
  const kept = monthsToHold(previous, missing);
  relayout(store.entries.values(), previous, kept);
  const add = missing.filter((m) => kept.includes(m)).sort();
  const pos = add.map((m) => kept.indexOf(m));
  const lastHeld = previous[previous.length - 1];
  const appending = lastHeld !== undefined && store.entries.size > 0 && add.every((m) => m > lastHeld);
  const windowStart = appending ? isoOf(classificationWindowStart(toDayNumber(monthEnd(add[0] as string)), store.config)) : null;
  const newEnd = monthEnd(kept[kept.length - 1] as string);

  const merge = (id: string, fresh: Entry, issues: DatedIssue[] | null) => {
    let e = store.entries.get(id);
    if (e === undefined) {
      e = { service: fresh.service, codes: new Array<number>(kept.length).fill(0), doses: new Array<number>(kept.length).fill(Number.NaN), issues: null, issuesTo: '' };
      store.entries.set(id, e);
      store.order = null;
    }
    // (A change of service reclassifies the person first, so this is only a safeguard.)
    if (e.service !== fresh.service) store.totals.clear();
    e.service = fresh.service;
    pos.forEach((j, i) => {
      (e.codes as number[])[j] = fresh.codes[i] as number;
      (e.doses as number[])[j] = fresh.doses[i] as number;
    });
    // The later pass has seen every record the earlier one saw, and more.
    if (fresh.issuesTo >= e.issuesTo) {
      e.issues = issues;
      e.issuesTo = fresh.issuesTo;
    }
  };

  const full: string[] = [];
  const take: Take = (id, fresh, whole) => {
    if (fresh === null) return;
    if (windowStart === null || whole) return merge(id, fresh, fresh.issues);
    const known = store.entries.get(id);
    if (known === undefined || known.issuesTo < windowStart) {
      full.push(id);
      return;
    }
    // Issues of records up to issuesTo are kept; the window's later records add theirs.
    const checkedTo = toDayNumber(known.issuesTo);
    const issues = [...(known.issues ?? []), ...(fresh.issues ?? []).filter((d) => d.day > checkedTo)];
    merge(id, fresh, issues.length > 0 ? issues : null);
  };

  // The records held for the month end after the new last one: kept when this pass reads
  // up to the new last month end (else the held ones still serve: the last is unchanged).
  const fromHeld = appendsFromHeld(store, add);
  const reachesLast = monthEnd(add[add.length - 1] as string) === newEnd;
  const held = fromHeld ? (store.held as Map<string, HeldRecords>) : reachesLast ? new Map<string, HeldRecords>() : null;
  const hold = held === null ? undefined : holdInto(held);
  if (fromHeld) await appendFromHeld(db, store, add, take, full, early);
  else await classifyAll(db, add, store.config, take, windowStart === null ? { hold } : { since: windowStart, hold });
  for (let i = 0; i < full.length; i += 5000) {
    await classifyAll(db, add, store.config, (id, fresh) => (fresh === null ? undefined : merge(id, fresh, fresh.issues)), { personIds: full.slice(i, i + 5000), hold });
  }
  if (held !== null) {
    // Cut what is held to the window of the month end after the new last one.
    const cut = heldCut(newEnd, store.config);
    const before = (r: { date: string }) => r.date < cut;
    for (const [id, h] of held) {
      // Most people have nothing to drop (records are in date order): leave them be.
      const stale = h.prescriptions.some((r) => r.end_date !== null && r.end_date < cut) || (h.tops[0] !== undefined && before(h.tops[0])) || (h.tests[0] !== undefined && before(h.tests[0]));
      if (!stale) continue;
      const w = heldWindow(h.service, { prescriptions: h.prescriptions, tops: h.tops, drug_tests: h.tests }, cut, h.whole);
      if (w === null) held.delete(id);
      else held.set(id, w);
    }
    store.held = held;
    store.heldTo = newEnd;
    // Changes dated up to the new last month end are in what is now held.
    for (const [id, d] of store.pendingRx) if (d <= newEnd) store.pendingRx.delete(id);
  }
  // Drop people left in MAT on no month end held.
  for (const [id, e] of store.entries) {
    if (e.codes.every((c) => c === 0)) {
      store.entries.delete(id);
      store.order = null;
    }
  }
  store.months = kept;
  for (const m of store.totals.keys()) if (!kept.includes(m)) store.totals.delete(m);
}

/** Whether month ends `add`, all after the last one held, can be added from the records held (appendFromHeld). */
function appendsFromHeld(store: Store, add: readonly string[]): boolean {
  const last = store.months[store.months.length - 1];
  return last !== undefined && add.length > 0 && add.every((m) => m > last) && store.entries.size > 0 && store.held !== null && store.heldTo === monthEnd(last);
}

/** What can have changed since the records held were read, up to `upTo` (see appendFromHeld). */
function readAfterHeld(db: Db, store: Store, upTo: string): Promise<Map<string, MatRecordsDelta>> {
  const { config } = store;
  return loadMatRecordsAfter(db, store.heldTo as string, upTo, [...store.pendingRx.keys()], { recallDays: config.top.recallDays, scoreMax: config.top.scoreMax });
}

/**
 * Classifies the month ends `add` (all after the last one held) from the records held for
 * them (Store.held) brought up to date with what can have changed since they were read
 * (loadMatRecordsAfter): TOPs and drug tests dated after the last month end held, and the
 * prescriptions that start, run or end after it. Any other change to a person's records is
 * dated on or before that month end, so it marked the person (migration 0015), and
 * refreshLocked has read them again in full before adding months. Records are compared
 * as the database gives them, so the held ones stay exactly what a read would give.
 *
 * People who may be in MAT on the new month ends but are not held (new to MAT, or dropped
 * when none of their prescriptions reached the window), and held people whose reduction
 * plan may start before their held prescriptions, are left in `load` for a full read.
 */
async function appendFromHeld(
  db: Db,
  store: Store,
  add: readonly string[],
  take: Take,
  load: string[],
  early: Promise<Map<string, MatRecordsDelta>> | null,
): Promise<void> {
  const held = store.held as Map<string, HeldRecords>;
  const heldTo = store.heldTo as string;
  const config = store.config;
  const ends = add.map(monthEnd);
  const from = ends[0] as string;
  const asOf = ends[ends.length - 1] as string;
  const delta = await (early ?? readAfterHeld(db, store, asOf));
  for (const [id, d] of delta) {
    const h = held.get(id);
    if (h === undefined) {
      if (coversSome(d.prescriptions, from, asOf) || (d.running !== null && coversSome(d.running, from, asOf))) load.push(id);
      continue;
    }
    // Held prescriptions all started by heldTo; of a changed person, those that may have changed are read again.
    if (d.running !== null) h.prescriptions = h.prescriptions.filter((r) => !mayChangeAfter(r, heldTo)).concat(d.running.map(heldPrescription));
    if (d.running !== null || d.prescriptions.length > 0) h.prescriptions = h.prescriptions.concat(d.prescriptions.map(heldPrescription)).sort(byStart);
    // Dated after every held one: the order (date, id) is kept.
    if (d.tops.length > 0) h.tops = h.tops.concat(d.tops);
    if (d.drug_tests.length > 0) h.tests = h.tests.concat(d.drug_tests.map(heldTest));
  }
  for (const [id, h] of held) {
    if (!coversSome(h.prescriptions, from, asOf)) continue;
    if (!h.whole && planMayStartBeforeWindow(h.prescriptions)) {
      load.push(id);
      continue;
    }
    const mat: PersonHistory = { person_id: id, service_id: h.service, prescriptions: h.prescriptions, tops: h.tops, drug_tests: h.tests, sc_reviews: [] };
    take(id, classifyEntry(id, h.service, mat, add, ends, asOf, config), false);
  }
}

async function withLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(db) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(fn);
  locks.set(db, run);
  return run;
}

/**
 * Brings the database's store up to date for `months` (and the configuration), reading
 * and then clearing the marks it has seen.
 */
export async function refreshStore(db: Db, months: readonly string[], config: MatConfig = defaultMatConfig): Promise<StoreRefresh> {
  return withLock(db, () =>
    refreshLocked(db, months, config).catch((err: unknown) => {
      // A pass that failed part-way may have merged some people and not others: forget the
      // store (the next refresh builds it again) rather than answer from a mixture.
      stores.delete(db);
      throw err;
    }),
  );
}

async function refreshLocked(db: Db, months: readonly string[], config: MatConfig): Promise<StoreRefresh> {
  const t0 = performance.now();
  passThreads.set(db, 0);
  let store = stores.get(db);
  // Only the marks a refresh acts on: everyone ('*'), changes dated by the last month end
  // held (reclassified), and prescription changes after it (kept for appendFromHeld). Every
  // mark the snapshot sees is cleared all the same: the others' records are dated after
  // the months held, and the next month reads them by date.
  const lastHeld = store?.months[store.months.length - 1];
  const marks = await db.query<{ snap: string; pending: boolean; person_id: string | null; from_date: string | null; rx_from: string | null }>(
    `SELECT s.snap::text AS snap, s.pending, d.person_id, d.from_date::text AS from_date, d.rx_from::text AS rx_from
       FROM (SELECT pg_current_snapshot() AS snap, EXISTS (SELECT 1 FROM mat_dirty) AS pending) s
       LEFT JOIN mat_dirty d ON (d.person_id = '*' OR d.from_date <= $1::date OR d.rx_from > $1::date)`,
    [lastHeld === undefined ? '-infinity' : monthEnd(lastHeld)],
  );
  const snap = marks[0]?.snap as string;
  const hash = configHash(config);
  const wanted = [...new Set(months)].sort();
  let result: Omit<StoreRefresh, 'ms' | 'threads'>;

  const everyone = marks.some((m) => m.person_id === '*');
  if (store === undefined || store.hash !== hash || everyone) {
    store = await build(db, config, monthsToHold(store !== undefined && store.hash === hash ? store.months : [], wanted));
    stores.set(db, store);
    result = { mode: 'built', reclassified: store.entries.size, monthsAdded: store.months };
  } else {
    const s = store;
    const lastEnd = monthEnd(s.months[s.months.length - 1] as string);
    const touched = marks.filter((m) => m.person_id !== null && m.from_date !== null && m.from_date <= lastEnd).map((m) => m.person_id as string);
    // Prescription changes dated after the records held: the next append rereads them.
    if (s.heldTo === lastEnd) {
      for (const m of marks) {
        if (m.person_id === null || m.rx_from === null || m.rx_from <= lastEnd) continue;
        const seen = s.pendingRx.get(m.person_id);
        if (seen === undefined || m.rx_from < seen) s.pendingRx.set(m.person_id, m.rx_from);
      }
    }
    let reclassified = 0;
    if (touched.length > Math.max(1000, s.entries.size * REBUILD_SHARE)) {
      const rebuilt = await build(db, config, monthsToHold(s.months, wanted));
      stores.set(db, rebuilt);
      result = { mode: 'built', reclassified: rebuilt.entries.size, monthsAdded: rebuilt.months };
    } else {
      // Their records from the window are held again as this read finds them.
      const hold = s.held !== null && s.heldTo === lastEnd ? holdInto(s.held) : undefined;
      if (hold === undefined) {
        s.held = null;
        s.pendingRx.clear();
      }
      // Adding the next month from the records held: what changed after them is read
      // meanwhile (those reread here are held again only up to the last month end).
      const missing = wanted.filter((m) => !s.months.includes(m));
      const early = appendsFromHeld(s, missing) ? readAfterHeld(db, s, monthEnd(missing[missing.length - 1] as string)) : null;
      early?.catch(() => undefined); // awaited in addMonths; a failure there is the refresh's
      for (let i = 0; i < touched.length; i += 5000) {
        const ids = touched.slice(i, i + 5000);
        await classifyAll(
          db,
          s.months,
          config,
          (id, e) => {
            reclassified++;
            setEntry(s, id, e);
          },
          { personIds: ids, hold },
        );
      }
      if (missing.length > 0) await addMonths(db, s, missing, early);
      result = { mode: touched.length === 0 && missing.length === 0 ? 'unchanged' : 'incremental', reclassified, monthsAdded: missing };
    }
  }
  if (marks[0]?.pending === true) await db.query('DELETE FROM mat_dirty WHERE pg_visible_in_snapshot(xid, $1::pg_snapshot)', [snap]);
  const done: StoreRefresh = { ...result, ms: Math.round(performance.now() - t0), threads: passThreads.get(db) ?? 0 };
  lastRefresh.set(db, done);
  return done;
}

/** What the last refresh did, or null before the first. */
export function lastStoreRefresh(db: Db): StoreRefresh | null {
  return lastRefresh.get(db) ?? null;
}

/**
 * Forgets the records the store holds for the next month end (Store.held): adding it then
 * reads everyone's window from the database. For tests of that path.
 */
export function dropHeldRecords(db: Db): void {
  const store = stores.get(db);
  if (store !== undefined) {
    store.held = null;
    store.heldTo = null;
    store.pendingRx.clear();
  }
}

/** Forgets a database's store (the next tracker builds it again). */
export function dropStore(db: Db): void {
  stores.delete(db);
}

export interface StoreReportRequest {
  month: string;
  trackerMonths: number;
  config?: MatConfig;
}

/**
 * The organisation-wide tracker (every service, no people) from the store: the same
 * document as `matReport(db, { month, trackerMonths, people: false, config })`.
 */
export async function storeTrackerReport(db: Db, req: StoreReportRequest): Promise<MatReport> {
  assertMonth(req.month);
  const config = req.config ?? defaultMatConfig;
  const months = monthsEndingWith(req.month, Math.max(1, Math.floor(req.trackerMonths)));
  await refreshStore(db, months, config);
  const services = await listServices(db);
  return withLock(db, async () => {
    const store = stores.get(db);
    if (store === undefined) throw new Error('MAT classification store missing after refresh');
    const parts = partsFromStore(store, months);
    return shapeMatReport({ month: req.month, serviceId: null, services, parts, people: [], worklists: [] });
  });
}

function partsFromStore(store: Store, months: string[]): TrackerParts {
  const idx = months.map((m) => store.months.indexOf(m));
  if (idx.some((i) => i < 0)) throw new Error('MAT classification store lacks a month asked for');
  const lastIx = idx[idx.length - 1] as number;
  const lastDay = toDayNumber(monthEnd(months[months.length - 1] as string));
  if (store.order === null) store.order = [...store.entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  totalsFor(store, months);
  const totals = months.map((m) => store.totals.get(m) as MonthTotals);
  const orgSeries = totals.map((t) => t.org);
  const svcSeries = new Map<string, TrackerAccumulator[]>();
  for (const t of totals) for (const svc of t.svc.keys()) if (!svcSeries.has(svc)) svcSeries.set(svc, totals.map((u) => u.svc.get(svc) ?? new TrackerAccumulator()));
  const lastRows: ClassifiedRow[] = [];
  const dqAll: DataQualityIssue[] = [];
  const dqBySvc = new Map<string, DataQualityIssue[]>();
  for (const id of store.order) {
    const e = store.entries.get(id) as Entry;
    const code = e.codes[lastIx] as number;
    if (code === 0) continue;
    lastRows.push({ service_id: e.service, classification: decode(code, e.doses[lastIx] as number) });
    const issues: DataQualityIssue[] = [];
    for (const d of e.issues ?? []) if (d.day <= lastDay) issues.push(d.issue);
    if (code & NO_DOSE) issues.push({ code: 'in_mat_no_dose', person_id: id, record: { kind: 'prescription', id: '' }, field: 'dose_mg', value: null, message: 'In MAT with no dose recorded' });
    if (issues.length === 0) continue;
    dqAll.push(...issues);
    let list = dqBySvc.get(e.service);
    if (list === undefined) {
      list = [];
      dqBySvc.set(e.service, list);
    }
    list.push(...issues);
  }
  return { months, orgSeries, svcSeries, lastRows, dqAll, dqBySvc };
}

/** Computes the totals of those of `months` not yet held, in one pass over the people. */
function totalsFor(store: Store, months: readonly string[]): void {
  const missing = months.filter((m) => !store.totals.has(m));
  if (missing.length === 0) return;
  const idx = missing.map((m) => store.months.indexOf(m));
  const fresh = missing.map((): MonthTotals => ({ org: new TrackerAccumulator(), svc: new Map() }));
  const c = scratchSlim();
  for (const e of store.entries.values()) {
    for (let i = 0; i < idx.length; i++) {
      const k = idx[i] as number;
      const code = e.codes[k] as number;
      if (code === 0) continue;
      decode(code, e.doses[k] as number, c);
      const tot = fresh[i] as MonthTotals;
      tot.org.add(c);
      let acc = tot.svc.get(e.service);
      if (acc === undefined) {
        acc = new TrackerAccumulator();
        tot.svc.set(e.service, acc);
      }
      acc.add(c);
    }
  }
  missing.forEach((m, i) => store.totals.set(m, fresh[i] as MonthTotals));
}
