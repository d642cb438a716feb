/**
 * MAT and risk benchmark (issue 3 and 4 performance): on an already-imported dataset
 * (national scale: 330,000 people, ~140,000 in MAT, 24 months), times
 *   - the full 24-month tracker for all services (classification of every person at
 *     every month end, aggregated per service and organisation, with service data,
 *     ranks and data-quality counts), and
 *   - the risk profiles for everyone in MAT on the last month end,
 * and reports the peak resident memory of this process (which includes PGlite's worker).
 * Not part of the test suite: call it from `npm run bench` or directly:
 *   npx tsx -e "import('./bench/mat.ts').then(m => m.benchMat({ dataDir: 'bench/out/pglite-bench' })).then(console.log)"
 */
import { openDb } from '../src/data/db';
import { migrate } from '../src/data/migrate';
import { matReport } from '../src/data/mat/report';
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

async function latestMonth(db: Awaited<ReturnType<typeof openDb>>): Promise<string> {
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
    return {
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
