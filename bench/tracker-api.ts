/**
 * MAT tracker API under load (issue 3): a real Beacon server on loopback over an imported
 * dataset, 50 concurrent clients (autocannon) asking for the tracker as the web app does —
 * the whole organisation over 24 months, and single services over 12 months. Reports the
 * p50/p95/p99 latency the clients saw, requests per second, the time of the first
 * (uncached) tracker, and the time to bring the tracker up to date after a change to the
 * data (the cache is invalidated by the dataset version; the recomputation is measured).
 * The load tool (autocannon, bench/load-client.ts) runs as its own process.
 * Not part of the test suite: `npm run bench -- --only mat`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { openDb } from '../src/data/db';
import { migrate } from '../src/data/migrate';
import { cachedTracker, forgetTrackerMemory } from '../src/data/mat/cache';
import { buildApp } from '../src/server/app';
import { createDemoAccounts, DEMO_PASSWORD } from '../src/server/bootstrap';
import { latestMonth } from './mat';

export interface BenchTrackerApiOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** Report month YYYY-MM (default: the month of the latest TOP or drug test). */
  month?: string;
  connections?: number;
  seconds?: number;
}

interface LoadFigures {
  requests: number;
  non2xx: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Runs the load tool (bench/load-client.ts, autocannon) as a separate process. */
function runLoad(settings: { url: string; cookie: string; paths: string[]; connections: number; seconds: number }): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'load-client.ts'), JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadFigures) : reject(new Error(`load tool exited with ${String(code)}`))));
  });
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'manager', password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

export async function benchTrackerApi(opts: BenchTrackerApiOptions): Promise<Record<string, number | string>> {
  const db = await openDb({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir ?? null, poolSize: 8 });
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), port: 0, host: '127.0.0.1' };
  const app = await buildApp({ db, config, webRoot: null, logger: false });
  try {
    await migrate(db);
    const services = await db.query<{ service_id: string; local_authority: string | null }>('SELECT service_id, local_authority FROM services ORDER BY service_id');
    const first = services[0];
    if (!first) throw new Error('no services: import a dataset first');
    const existing = await db.query('SELECT 1 FROM users WHERE username = $1', ['manager']);
    if (existing.length === 0) await createDemoAccounts(db, first.service_id, first.local_authority ?? 'E00000000', app.secrets);
    const month = opts.month ?? (await latestMonth(db));

    // The first tracker after a change to the data is computed; then it is cached.
    await db.query('UPDATE dataset_version SET version = version + 1 WHERE id');
    forgetTrackerMemory(db);
    const t0 = performance.now();
    await cachedTracker(db, { month, trackerMonths: 24 });
    const firstTracker24Seconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await cachedTracker(db, { month, trackerMonths: 12 });
    const firstTracker12Seconds = (performance.now() - t1) / 1000;

    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const cookie = await signIn(url);
    const paths = [`/api/mat/tracker?month=${month}&months=24`, ...services.slice(0, 20).map((s) => `/api/mat/tracker?month=${month}&months=12&service=${encodeURIComponent(s.service_id)}`)];
    const load = await runLoad({ url, cookie, paths, connections: opts.connections ?? 50, seconds: opts.seconds ?? 20 });
    return {
      month,
      services: services.length,
      firstTracker24Seconds: +firstTracker24Seconds.toFixed(2),
      firstTracker12Seconds: +firstTracker12Seconds.toFixed(2),
      connections: opts.connections ?? 50,
      ...load,
      // This process is the server only: the load tool is another process.
      peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
    };
  } finally {
    await app.close();
    await db.close();
  }
}
