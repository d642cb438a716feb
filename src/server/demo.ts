import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../data/db';
import { generateDemo } from '../data/demo';
import { importDataset } from '../data/dataset';
import { seedDemoAssurance } from '../data/assurance/demo';
import { seedDemoWarning } from '../data/warning/demo';
import { seedDemoLdis } from '../data/ldis/demo';
import { seedDemoAlerts } from '../data/alerts/demo';
import { seedDemoPerson } from '../data/person/demo';
import { getSetting, setSetting } from '../data/settings';
import { randomBytes } from 'node:crypto';
import { createDemoAccounts, DEMO_PASSWORD } from './bootstrap';
import { SecretBox } from './auth/secret-box';

export interface DemoLoadOptions {
  people?: number;
  months?: number;
  seed?: number;
  /** Reference day; the data end on the last day of the month before it. Default: today. */
  today?: string;
  say?: (line: string) => void;
  /**
   * The server's key for secrets (the demo accounts' second factor is stored encrypted).
   * Without it a throwaway key is used: fine for data-only work, but nobody can then sign
   * in to the demo administrator or Caldicott guardian.
   */
  secrets?: SecretBox;
}

export interface DemoState {
  loadedAt: string;
  people: number;
  months: number;
  seed: number;
  endDate: string;
  rows: number;
}

/**
 * Generates the synthetic demo dataset, imports it through the ordinary import pipeline
 * (so it is validated like any data), and creates the demo accounts. Demo accounts exist
 * only in a database that holds the demo data.
 */
export async function loadDemo(db: Db, options: DemoLoadOptions = {}): Promise<{ state: DemoState; accounts: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'beacon-demo-'));
  try {
    const today = options.today ?? new Date().toISOString().slice(0, 10);
    options.say?.('Generating the synthetic demo dataset…');
    const summary = await generateDemo({ people: options.people, months: options.months, seed: options.seed, today, outDir: dir });
    options.say?.(`Importing ${summary.totalRows.toLocaleString('en-GB')} rows…`);
    const result = await importDataset(db, dir, { sourceName: `demo dataset (seed ${summary.seed})`, username: 'system:demo', today });
    if (result.status !== 'succeeded') {
      throw new Error(`the demo dataset did not import cleanly (${result.status}): ${result.message}`);
    }
    await seedDemoPerson(db, { today });
    const services = await db.query<{ service_id: string; local_authority: string }>(
      'SELECT service_id, local_authority FROM services WHERE local_authority IS NOT NULL ORDER BY service_id LIMIT 1',
    );
    const first = services[0];
    if (!first) throw new Error('the demo dataset has no services');
    const accounts = await createDemoAccounts(db, first.service_id, first.local_authority, options.secrets ?? new SecretBox(randomBytes(32)));
    await seedDemoAssurance(db, { endDate: summary.endDate, localAuthority: first.local_authority });
    await seedDemoWarning(db, { endDate: summary.endDate, ...(options.say ? { say: options.say } : {}) });
    await seedDemoLdis(db, { localAuthority: first.local_authority });
    await seedDemoAlerts(db, { endDate: summary.endDate, area: first.local_authority, clusterArea: summary.nitazeneCluster.localAuthority });
    const state: DemoState = {
      loadedAt: new Date().toISOString(),
      people: summary.people,
      months: summary.months,
      seed: summary.seed,
      endDate: summary.endDate,
      rows: summary.totalRows,
    };
    await setSetting(db, 'demo', state, 'system:demo');
    return { state, accounts: accounts.map((a) => a.username) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Loads the demo on the first start only; a second start reuses the data. */
export async function ensureDemo(db: Db, options: { say: (line: string) => void; secrets: SecretBox }): Promise<{ loaded: boolean; accounts: string[]; password: string }> {
  const existing = await getSetting<DemoState>(db, 'demo');
  if (existing) {
    options.say(`Demo data already loaded on ${existing.loadedAt.slice(0, 10)} (${existing.people} people, to ${existing.endDate}); reusing it.`);
    const users = await db.query<{ username: string }>('SELECT username FROM users WHERE demo ORDER BY id');
    return { loaded: false, accounts: users.map((u) => u.username), password: DEMO_PASSWORD };
  }
  const people = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM people');
  if ((people[0]?.n ?? 0) > 0) {
    throw new Error('this database already holds real data; demo data and demo accounts are never added to it (start without --demo)');
  }
  const t0 = Date.now();
  const { state, accounts } = await loadDemo(db, { say: options.say, secrets: options.secrets });
  options.say(`Demo data loaded: ${state.people.toLocaleString('en-GB')} people, ${state.rows.toLocaleString('en-GB')} rows, in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  return { loaded: true, accounts, password: DEMO_PASSWORD };
}
