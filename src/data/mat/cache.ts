/**
 * The MAT tracker cache (issue 3 performance). The organisation-wide tracker for a month
 * and window is answered from the classification store (store.ts: every person's
 * classification at each month end, kept in memory and refreshed for the people whose
 * records changed), and the answer itself is kept in `mat_tracker_cache` (and in memory),
 * keyed by month, window and configuration, and stamped with the dataset version it came
 * from. Any write to a dataset table bumps that version (triggers in migration 0011), so
 * a kept answer is used only while the data it came from is unchanged; the first request
 * after a change asks the store again (concurrent requests wait for the one answer), and
 * imports warm it in the background. After a restart the stored answers are served while
 * the store is built again.
 */
import type { Db } from '../db';
import { changeFeed, DATASET_VERSION_CHANNEL, onePerDb, onWritesTo, type ChangeFeed } from '../changes';
import { defaultMatConfig, type MatConfig } from '../../domain/mat';
import { MatReportError, assertMonth, type MatReport } from './report';
import { configHash, storeTrackerReport } from './store';

export { configHash };

export interface TrackerRequest {
  month: string;
  trackerMonths: number;
  config?: MatConfig;
}

export interface CachedTracker {
  report: MatReport;
  datasetVersion: number;
  /** Where the answer came from this time. */
  source: 'memory' | 'database' | 'computed';
  computedAt: string;
  computeMs: number;
}

interface MemoEntry {
  datasetVersion: number;
  value: CachedTracker;
}

const memo = new WeakMap<Db, Map<string, MemoEntry>>();
const inflight = new WeakMap<Db, Map<string, Promise<CachedTracker>>>();
/** Kept in memory per database: the most recently used trackers (each a few MB at national scale). */
const MEMO_LIMIT = 8;

/** The tables whose writes bump the dataset version (triggers of migration 0011), and the version's own table. */
export const DATASET_TABLES = ['services', 'people', 'episodes', 'prescriptions', 'top', 'drug_tests', 'risk_events', 'naloxone', 'sc_reviews'] as const;

const VERSION_SQL = 'SELECT version FROM dataset_version WHERE id';

/**
 * The dataset version as this process knows it (issue 3: a tracker request makes no round
 * trip for it). It is read from the database once, then followed by the change feed's
 * notifications (each carries the new version; versions only grow, as each bump holds the
 * row's lock until it commits, so the highest seen is the current one). It is read again —
 * once, however many requests ask meanwhile — whenever it may be stale:
 * - while the feed is not listening, and once after it listens (again);
 * - after this process wrote, through this Db, a statement naming a dataset table or
 *   dataset_version (other than one plain SELECT; see changes.ts), once that statement or
 *   its transaction has finished: so a request that starts after this process's write
 *   returned sees its version, whether or not the notification has arrived yet;
 * - after a notification that the version went back or vanished.
 * A change committed by another process is seen once its notification arrives (a moment
 * after its COMMIT).
 */
class KnownVersion {
  #version = 0;
  #known = false;
  /** Moves on whenever what is known may be stale. */
  #gen = 0;
  #reading: { gen: number; value: Promise<number> } | null = null;
  readonly #db: Db;
  readonly #feed: ChangeFeed;

  constructor(db: Db) {
    this.#db = db;
    this.#feed = changeFeed(db);
    this.#feed.subscribe(DATASET_VERSION_CHANNEL, {
      notify: (payload) => {
        const v = payload === '' ? NaN : Number(payload);
        if (Number.isSafeInteger(v)) this.#version = Math.max(this.#version, v);
        else this.#forget(true);
      },
      reset: () => this.#forget(true),
    });
    onWritesTo(db, [...DATASET_TABLES, 'dataset_version'], () => this.#forget(false));
  }

  /** `reset` also drops the highest version seen (it may have gone back). */
  #forget(reset: boolean): void {
    this.#known = false;
    this.#gen++;
    if (reset) this.#version = 0;
  }

  get(): Promise<number> {
    if (this.#known && this.#feed.live) return Promise.resolve(this.#version);
    if (this.#reading?.gen === this.#gen) return this.#reading.value;
    const gen = this.#gen;
    const value = this.#read(gen);
    this.#reading = { gen, value };
    return value;
  }

  async #read(gen: number): Promise<number> {
    try {
      const rows = await this.#db.query<{ version: number }>(VERSION_SQL);
      const v = rows[0]?.version ?? 0;
      // Known only if nothing happened while it was read; notifications that arrived
      // meanwhile are no older than it (max).
      if (gen === this.#gen && this.#feed.live) {
        this.#version = Math.max(this.#version, v);
        this.#known = true;
      }
      return v;
    } finally {
      if (this.#reading?.gen === gen) this.#reading = null;
    }
  }
}

const knownVersion = onePerDb((db) => new KnownVersion(db));

/** The current dataset version (see KnownVersion: usually without a round trip). */
export function datasetVersion(db: Db): Promise<number> {
  return knownVersion(db).get();
}

function mapOf<V>(store: WeakMap<Db, Map<string, V>>, db: Db): Map<string, V> {
  let m = store.get(db);
  if (m === undefined) {
    m = new Map();
    store.set(db, m);
  }
  return m;
}

function remember(db: Db, key: string, value: CachedTracker): void {
  const m = mapOf(memo, db);
  m.delete(key);
  m.set(key, { datasetVersion: value.datasetVersion, value });
  while (m.size > MEMO_LIMIT) {
    const oldest = m.keys().next().value;
    if (oldest === undefined) break;
    m.delete(oldest);
  }
}

async function compute(db: Db, req: Required<TrackerRequest>, hash: string): Promise<CachedTracker> {
  // The version is read before the data: if the data change while we compute, the stored
  // answer carries the older version and the next request computes again.
  const version = await datasetVersion(db);
  const t0 = performance.now();
  const report = await storeTrackerReport(db, { month: req.month, trackerMonths: req.trackerMonths, config: req.config });
  const computeMs = Math.round(performance.now() - t0);
  const rows = await db.query<{ computed_at: string }>(
    `INSERT INTO mat_tracker_cache (month, tracker_months, config_hash, dataset_version, report, compute_ms, computed_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, now())
     ON CONFLICT (month, tracker_months, config_hash) DO UPDATE
       SET dataset_version = EXCLUDED.dataset_version, report = EXCLUDED.report, compute_ms = EXCLUDED.compute_ms, computed_at = EXCLUDED.computed_at
     RETURNING computed_at`,
    [req.month, req.trackerMonths, hash, version, JSON.stringify(report), computeMs],
  );
  return { report, datasetVersion: version, source: 'computed', computedAt: rows[0]?.computed_at ?? new Date().toISOString(), computeMs };
}

/**
 * The organisation-wide tracker (every service, no people) for a month and window: from
 * memory or the database when the dataset has not changed since it was computed,
 * otherwise computed now (once, however many requests ask at the same time).
 */
export async function cachedTracker(db: Db, request: TrackerRequest): Promise<CachedTracker> {
  assertMonth(request.month);
  const trackerMonths = Math.max(1, Math.min(60, Math.floor(request.trackerMonths)));
  const config = request.config ?? defaultMatConfig;
  const hash = configHash(config);
  const key = `${request.month}|${trackerMonths}|${hash}`;
  const version = await datasetVersion(db);

  const hit = mapOf(memo, db).get(key);
  if (hit !== undefined && hit.datasetVersion === version) return { ...hit.value, source: 'memory' };

  const flights = mapOf(inflight, db);
  const flying = flights.get(key);
  if (flying !== undefined) return flying;

  const work = (async (): Promise<CachedTracker> => {
    const stored = await db.query<{ dataset_version: number; report: MatReport; computed_at: string; compute_ms: number }>(
      `SELECT dataset_version, report, computed_at, compute_ms FROM mat_tracker_cache
        WHERE month = $1 AND tracker_months = $2 AND config_hash = $3 AND dataset_version = $4`,
      [request.month, trackerMonths, hash, version],
    );
    const row = stored[0];
    const value: CachedTracker =
      row !== undefined
        ? { report: row.report, datasetVersion: row.dataset_version, source: 'database', computedAt: row.computed_at, computeMs: row.compute_ms }
        : await compute(db, { month: request.month, trackerMonths, config }, hash);
    remember(db, key, value);
    return value;
  })();
  flights.set(key, work);
  try {
    return await work;
  } finally {
    flights.delete(key);
  }
}

/**
 * The organisation-wide tracker narrowed to one service, exactly as `matReport` with
 * `serviceId` answers it (organisation figures stay organisation-wide). Null = all services.
 */
export function narrowToService(report: MatReport, serviceId: string | null): MatReport {
  if (serviceId === null) return report;
  if (!report.services.some((s) => s.service_id === serviceId)) throw new MatReportError(`No service ${serviceId}`);
  const services: MatReport['tracker']['services'] = {};
  const series = report.tracker.services[serviceId];
  if (series !== undefined) services[serviceId] = series;
  const dq: MatReport['data_quality']['services'] = {};
  const own = report.data_quality.services[serviceId];
  if (own !== undefined) dq[serviceId] = own;
  return {
    ...report,
    service_id: serviceId,
    services: report.services.filter((s) => s.service_id === serviceId),
    tracker: { ...report.tracker, services },
    service_data: { ...report.service_data, services: report.service_data.services.filter((s) => s.service_id === serviceId) },
    data_quality: { ...report.data_quality, services: dq },
  };
}

/** Drops this process's in-memory copies for a database (the stored ones remain). */
export function forgetTrackerMemory(db: Db): void {
  memo.delete(db);
}

/** Computes the trackers pages ask for first (last complete month, 12 and 24 months) so they open at once. */
export async function warmTrackerCache(db: Db, month: string): Promise<CachedTracker[]> {
  const out: CachedTracker[] = [];
  for (const trackerMonths of [12, 24]) out.push(await cachedTracker(db, { month, trackerMonths }));
  return out;
}
