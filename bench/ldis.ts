/**
 * LDIS submission load (issue 5 "Bad input and load"): a real Beacon server on loopback
 * (startTestApp), `concurrency` partner submitters (with the partner organisation's API
 * token) each posting reports in a loop for
 * `seconds` with plain fetch, every tenth request a retry of the submitter's previous
 * report (same partner report id, as a partner system does after a timeout). Afterwards
 * the rows are counted: every acknowledged report must be there exactly once.
 * Not part of the test suite: call it from `npm run bench` or directly:
 *   npx tsx -e "import('./bench/ldis.ts').then(m => m.benchLdis()).then(console.log)"
 */
import { openDb, type Db } from '../src/data/db';
import { createPartnerToken } from '../src/data/ldis/tokens';
import { startTestApp } from '../src/testing/app';

export interface BenchLdisOptions {
  /** Concurrent submitters (default 200). */
  concurrency?: number;
  /** How long they submit (default 60 s). */
  seconds?: number;
  /** postgres://… of an empty database to use; otherwise an in-memory PGlite. */
  databaseUrl?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

function body(id: string, n: number): string {
  return JSON.stringify({
    partner_report_id: id,
    source: 'police',
    event_date: '2024-05-10',
    event_type: n % 3 === 0 ? 'naloxone_administration' : 'non_fatal_overdose',
    local_authority: 'E06000008',
    age: 18 + (n % 60),
    sex: n % 2 === 0 ? 'M' : 'F',
    synthetic_opioid_suspected: n % 4 === 0 ? 'Y' : 'unknown',
    naloxone_doses: n % 5,
    substances: 'heroin; crack',
    outcome: 'hospital',
  });
}

export async function benchLdis(opts: BenchLdisOptions = {}): Promise<Record<string, number>> {
  const concurrency = opts.concurrency ?? 200;
  const seconds = opts.seconds ?? 60;
  const db: Db | undefined = opts.databaseUrl ? await openDb({ databaseUrl: opts.databaseUrl, dataDir: null, poolSize: 10 }) : undefined;
  const app = await startTestApp({ webRoot: null, ...(db ? { db } : {}) });
  try {
    // A partner system submits with its organisation's API token (Authorization: Bearer).
    const { token } = await createPartnerToken(app.db, { partner: 'police', label: 'bench', createdBy: 'bench' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    const latencies: number[] = [];
    const acknowledged = new Set<string>();
    let created = 0;
    let replays = 0;
    let errors = 0;
    const start = performance.now();
    const end = start + seconds * 1000;

    async function submitter(w: number): Promise<void> {
      let n = 0;
      let last: { id: string; payload: string } | null = null;
      while (performance.now() < end) {
        const previous: { id: string; payload: string } | null = last;
        const retry = previous !== null && n % 10 === 9;
        const id: string = retry && previous ? previous.id : `B-${w}-${n}`;
        const payload: string = retry && previous ? previous.payload : body(id, n);
        const t0 = performance.now();
        try {
          const res = await fetch(`${app.url}/api/ldis/reports`, { method: 'POST', headers, body: payload });
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (res.status === 201) created++;
          else if (res.status === 200) replays++;
          else errors++;
          if (res.status === 201 || res.status === 200) acknowledged.add(id);
        } catch {
          errors++;
        }
        last = { id, payload };
        n++;
      }
    }
    await Promise.all(Array.from({ length: concurrency }, (_, w) => submitter(w)));
    const elapsed = (performance.now() - start) / 1000;

    const counts = await app.db.query<{ submissions: number; distinct_ids: number; incidents: number }>(
      `SELECT count(*)::int AS submissions, count(DISTINCT s.partner_report_id)::int AS distinct_ids, count(i.report_id)::int AS incidents
       FROM ldis_submissions s LEFT JOIN incidents i ON i.report_id = s.report_id WHERE s.partner = 'police'`,
    );
    const stored = await app.db.query<{ partner_report_id: string }>(`SELECT partner_report_id FROM ldis_submissions WHERE partner = 'police'`);
    const storedIds = new Set(stored.map((r) => r.partner_report_id));
    const lost = [...acknowledged].filter((id) => !storedIds.has(id)).length;
    const c = counts[0] ?? { submissions: 0, distinct_ids: 0, incidents: 0 };
    latencies.sort((a, b) => a - b);
    const requests = latencies.length + errors;
    return {
      concurrency,
      seconds: +elapsed.toFixed(1),
      requests,
      created,
      replays,
      errors,
      requestsPerSecond: +(requests / elapsed).toFixed(1),
      reportsPerSecond: +(created / elapsed).toFixed(1),
      p50Ms: +percentile(latencies, 50).toFixed(1),
      p95Ms: +percentile(latencies, 95).toFixed(1),
      p99Ms: +percentile(latencies, 99).toFixed(1),
      rows: c.incidents,
      acknowledged: acknowledged.size,
      lost,
      duplicated: c.submissions - c.distinct_ids + (c.incidents - c.distinct_ids),
    };
  } finally {
    await app.close();
    if (db) await db.close();
  }
}
