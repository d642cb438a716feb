/**
 * MAT and risk benchmark (issue 3 and 4 performance): on an already-imported dataset
 * (national scale: 330,000 people, ~140,000 in MAT, 24 months), times
 *   - the full 24-month tracker for all services (classification of every person at
 *     every month end, aggregated per service and organisation, with service data,
 *     ranks and data-quality counts), and
 *   - the risk profiles for everyone in MAT on the last month end,
 *   - the classification store behind the tracker pages and API (src/data/mat/store.ts):
 *     building it for 24 months, answering again, refreshing after one recorded drug
 *     test, and refreshing after importing one more month of records (drug tests, TOPs
 *     and dose changes for everyone in MAT, through the real importer) — the rows the
 *     month adds are removed again at the end, so the dataset stays as it was,
 * and reports the peak resident memory of this process (which includes PGlite's worker).
 * Not part of the test suite: call it from `npm run bench` or directly:
 *   npx tsx -e "import('./bench/mat.ts').then(m => m.benchMat({ dataDir: 'bench/out/pglite-bench' })).then(console.log)"
 */
import { openDb } from '../src/data/db';
import { migrate } from '../src/data/migrate';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../src/data/db';
import { importDataset } from '../src/data/dataset';
import { matReport } from '../src/data/mat/report';
import { lastStoreRefresh, storeTrackerReport } from '../src/data/mat/store';
import { riskReport } from '../src/data/risk/report';
import { monthEnd } from '../src/domain/mat';

export interface BenchMatOptions {
  /** postgres://… to benchmark PostgreSQL; otherwise PGlite in dataDir. */
  databaseUrl?: string;
  /** PGlite data directory holding an imported dataset. */
  dataDir?: string;
  /** Report month YYYY-MM (default: the month of the latest TOP or drug test). */
  month?: string;
}

/** The month of the latest TOP or drug test: the report month the benchmarks use by default. */
export async function latestMonth(db: Db): Promise<string> {
  const rows = await db.query<{ d: string | null }>('SELECT greatest((SELECT max(date) FROM top), (SELECT max(date) FROM drug_tests)) AS d');
  const d = rows[0]?.d;
  if (!d) throw new Error('No TOPs or drug tests: import a dataset first');
  return d.slice(0, 7);
}

export async function benchMat(opts: BenchMatOptions): Promise<Record<string, number>> {
  if (!opts.databaseUrl && !opts.dataDir) throw new Error('benchMat needs databaseUrl or dataDir (an imported dataset)');
  const db = await openDb({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir ?? null, poolSize: 4 });
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  try {
    await migrate(db);
    const month = opts.month ?? (await latestMonth(db));
    const t0 = performance.now();
    const tracker = await matReport(db, { month, trackerMonths: 24, people: false });
    const trackerSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const risk = await riskReport(db, { date: monthEnd(month) });
    const riskSeconds = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    const full = await matReport(db, { month, trackerMonths: 1 });
    const reportSeconds = (performance.now() - t2) / 1000;
    peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    const store = await benchStore(db, month);
    peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    return {
      ...store,
      inMatAtMonthEnd: tracker.organisation.in_mat,
      services: Object.keys(tracker.tracker.services).length,
      tracker24Seconds: +trackerSeconds.toFixed(2),
      riskProfiles: risk.people.length,
      riskSeconds: +riskSeconds.toFixed(2),
      matReportWithPeopleSeconds: +reportSeconds.toFixed(2),
      matReportPeople: full.people.length,
      peakRssMb: Math.round(peak / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
    await db.close();
  }
}

const NEXT = 'NM'; // id prefix of the rows the "one more month" adds

function csv(header: string, rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return [header, ...rows.map((r) => r.map((v) => (v === null ? '' : v === true ? 'Y' : v === false ? 'N' : String(v))).join(','))].join('\n') + '\n';
}

/**
 * One more month of records for everyone in MAT on the last month end, written as dataset
 * CSVs: a drug test each (opiate-positive for one in four), a review TOP for one in six,
 * and a dose change for one in ten (the ongoing segment closed, a new one started).
 */
async function writeNextMonth(db: Db, month: string, dir: string): Promise<{ rows: number; closed: string[] }> {
  const end = monthEnd(month);
  const people = await db.query<{ person_id: string; n: number }>(
    `SELECT DISTINCT ON (r.person_id) r.person_id, (abs(hashtext(r.person_id)) % 1000)::int AS n
       FROM prescriptions r WHERE r.start_date <= $1::date AND (r.end_date IS NULL OR r.end_date >= $1::date)
      ORDER BY r.person_id`,
    [end],
  );
  const day = (n: number, d: number) => {
    const t = new Date(`${end}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() + 1 + ((n + d) % 28));
    return t.toISOString().slice(0, 10);
  };
  const tests = people.map((p) => [`${NEXT}-T-${p.person_id}`, p.person_id, day(p.n, 3), p.n % 4 === 0 ? 'heroin_6mam' : 'methadone', 'positive', 'urine']);
  const tops = people.filter((p) => p.n % 6 === 0).map((p) => [`${NEXT}-TOP-${p.person_id}`, p.person_id, day(p.n, 5), 'review', p.n % 4 === 0 ? 8 : 0]);
  const changing = new Set(people.filter((p) => p.n % 10 === 0).map((p) => p.person_id));
  const open = await db.query<Record<string, string | number | boolean | null>>(
    `SELECT prescription_id, person_id, medication, dose_mg, start_date::text AS start_date, end_date::text AS end_date, supervised, pickup, reduction_plan,
            planned_end_date::text AS planned_end_date, prescriber
       FROM prescriptions WHERE person_id = ANY($1::text[]) AND end_date IS NULL AND start_date <= $2::date`,
    [[...changing], end],
  );
  const cols = ['prescription_id', 'person_id', 'medication', 'dose_mg', 'start_date', 'end_date', 'supervised', 'pickup', 'reduction_plan', 'planned_end_date', 'prescriber'];
  const rx: (string | number | boolean | null)[][] = [];
  for (const r of open) {
    const n = Math.abs([...String(r.person_id)].reduce((a, c) => a * 31 + c.charCodeAt(0), 7)) % 28;
    const switchDay = day(n, 10);
    const closeDay = new Date(`${switchDay}T00:00:00Z`);
    closeDay.setUTCDate(closeDay.getUTCDate() - 1);
    rx.push(cols.map((c) => (c === 'end_date' ? closeDay.toISOString().slice(0, 10) : (r[c] ?? null))));
    rx.push(cols.map((c) => (c === 'prescription_id' ? `${NEXT}-RX-${String(r.person_id)}` : c === 'start_date' ? switchDay : c === 'end_date' ? null : c === 'dose_mg' ? Math.max(5, Number(r.dose_mg) + (n % 2 === 0 ? 5 : -5)) : (r[c] ?? null))));
  }
  await writeFile(join(dir, 'drug_tests.csv'), csv('test_id,person_id,date,substance,result,sample', tests));
  await writeFile(join(dir, 'top.csv'), csv('top_id,person_id,date,stage,opiate_days', tops));
  await writeFile(join(dir, 'prescriptions.csv'), csv(cols.join(','), rx));
  return { rows: tests.length + tops.length + rx.length, closed: open.map((r) => String(r.prescription_id)) };
}

function nextMonthOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The classification store at scale (issue 3: tracker pages and "refresh after one more month in ≤ 2 s"). */
export async function benchStore(db: Db, month: string): Promise<Record<string, number>> {
  const seconds = (t0: number) => +((performance.now() - t0) / 1000).toFixed(2);
  let t = performance.now();
  await storeTrackerReport(db, { month, trackerMonths: 24 });
  const storeBuild24Seconds = seconds(t);
  t = performance.now();
  await storeTrackerReport(db, { month, trackerMonths: 24 });
  const storeAnswer24Seconds = seconds(t);

  // One drug test recorded on a person's page.
  const someone = (await db.query<{ person_id: string }>(`SELECT person_id FROM prescriptions WHERE end_date IS NULL ORDER BY person_id LIMIT 1`))[0]?.person_id ?? '';
  await db.query(`INSERT INTO drug_tests (test_id, person_id, date, substance, result, sample) VALUES ('${NEXT}-ONE', $1, $2::date, 'heroin_6mam', 'positive', 'urine')`, [someone, monthEnd(month)]);
  t = performance.now();
  await storeTrackerReport(db, { month, trackerMonths: 24 });
  const storeRefreshOneRecordSeconds = seconds(t);

  // One more month, imported as a service's monthly extract would be.
  const dir = await mkdtemp(join(tmpdir(), 'beacon-next-month-'));
  const next = nextMonthOf(month);
  let figures: Record<string, number>;
  let closed: string[] = [];
  try {
    const written = await writeNextMonth(db, month, dir);
    closed = written.closed;
    t = performance.now();
    const result = await importDataset(db, dir, { sourceName: 'benchmark next month' });
    const importSeconds = seconds(t);
    if (result.status !== 'succeeded') throw new Error(`next-month import ${result.status}: ${result.message} ${JSON.stringify(result.problems.slice(0, 3))}`);
    t = performance.now();
    const report = await storeTrackerReport(db, { month: next, trackerMonths: 24 });
    const refreshSeconds = seconds(t);
    const refresh = lastStoreRefresh(db);
    const check = await matReport(db, { month: next, trackerMonths: 1, people: false });
    figures = {
      nextMonthRows: written.rows,
      nextMonthImportSeconds: importSeconds,
      storeRefreshNextMonthSeconds: refreshSeconds,
      storeRefreshNextMonthReclassified: refresh?.reclassified ?? -1,
      nextMonthInMat: report.organisation.in_mat,
      nextMonthMatchesDirect: report.organisation.in_mat === check.organisation.in_mat && JSON.stringify(report.organisation) === JSON.stringify(check.organisation) ? 1 : 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    // Put the dataset back as it was for the other sections and the next run.
    await db.query(`DELETE FROM drug_tests WHERE test_id LIKE '${NEXT}-%'`);
    await db.query(`DELETE FROM top WHERE top_id LIKE '${NEXT}-%'`);
    await db.query(`DELETE FROM prescriptions WHERE prescription_id LIKE '${NEXT}-%'`);
    if (closed.length > 0) await db.query(`UPDATE prescriptions SET end_date = NULL WHERE prescription_id = ANY($1::text[])`, [closed]);
  }
  return { storeBuild24Seconds, storeAnswer24Seconds, storeRefreshOneRecordSeconds, ...figures };
}
