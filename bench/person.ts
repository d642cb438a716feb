/**
 * Person-record API benchmark (issue 4: "the person-record API in ≤ 300 ms at p95 for a
 * person with five years of history"). On a database (the national-scale bench dataset,
 * or any migrated one), adds one synthetic person with five years of history to the first
 * service — a dose change every four weeks, a TOP every month, a drug test (six
 * substances) every fortnight, risk events, naloxone supplies, SC reviews, three episodes
 * and 50 care-plan actions — then asks for their record over loopback HTTP as a keyworker
 * of that service, one request at a time, and reports the latency percentiles. The person
 * is removed afterwards. Not part of the test suite: `npm run bench -- --only person`.
 */
import { loadConfig } from '../src/config';
import { openDb, type Db } from '../src/data/db';
import { migrate } from '../src/data/migrate';
import { addDays } from '../src/domain/risk';
import { buildApp } from '../src/server/app';
import { createDemoAccounts, DEMO_PASSWORD } from '../src/server/bootstrap';

export interface BenchPersonOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** Requests to time (after 10 warm-up requests). Default 200. */
  requests?: number;
}

const PERSON = 'BENCH-5Y';
const TABLES = ['care_actions', 'captured_records', 'sc_reviews', 'naloxone', 'risk_events', 'drug_tests', 'top', 'prescriptions', 'episodes'];

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

async function removePerson(db: Db): Promise<void> {
  for (const t of TABLES) await db.query(`DELETE FROM ${t} WHERE person_id = $1`, [PERSON]);
  await db.query('DELETE FROM people WHERE person_id = $1', [PERSON]);
}

/** Five years of history ending on `end`, as plain INSERTs (a few thousand rows). */
async function addPerson(db: Db, serviceId: string, end: string): Promise<number> {
  const start = addDays(end, -5 * 365);
  let rows = 0;
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO people (person_id, service_id, date_of_birth, sex, nhs_number, postcode, injecting_status, housing) VALUES ($1, $2, '1978-03-14', 'M', '9434765919', 'FY1 1AA', 'C', 'hmo')`,
      [PERSON, serviceId],
    );
    rows++;
    for (let i = 0; i < 3; i++) {
      const s = addDays(start, i * 600);
      await tx.query('INSERT INTO episodes (episode_id, person_id, start_date, end_date, exit_reason) VALUES ($1, $2, $3, $4, $5)', [
        `${PERSON}-E${i}`, PERSON, s, i < 2 ? addDays(s, 560) : null, i < 2 ? 'unplanned' : null,
      ]);
      rows++;
    }
    for (let i = 0, d = start; d < end; i++, d = addDays(d, 28)) {
      const dose = 30 + ((i * 7) % 70);
      await tx.query('INSERT INTO prescriptions (prescription_id, person_id, medication, dose_mg, start_date, end_date, supervised) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        `${PERSON}-RX${i}`, PERSON, 'methadone', dose, d, addDays(d, 27) < end ? addDays(d, 27) : null, i % 3 === 0,
      ]);
      rows++;
    }
    for (let i = 0, d = start; d <= end; i++, d = addDays(d, 30)) {
      await tx.query(
        `INSERT INTO top (top_id, person_id, date, stage, opiate_days, crack_days, alcohol_days, alcohol_units, injecting_days, psych_health, phys_health, quality_of_life, paid_work_days, acute_housing)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [`${PERSON}-T${i}`, PERSON, d, i === 0 ? 'start' : 'review', i % 5, i % 3, i % 7, 4, i % 4, 8 + (i % 10), 9 + (i % 8), 7 + (i % 11), i % 6, i % 9 === 0],
      );
      rows++;
    }
    const substances = ['heroin_6mam', 'methadone', 'fentanyl', 'benzodiazepine', 'cocaine', 'cannabis'];
    for (let i = 0, d = start; d <= end; i++, d = addDays(d, 14)) {
      for (const [k, s] of substances.entries()) {
        await tx.query('INSERT INTO drug_tests (test_id, person_id, date, substance, result, sample) VALUES ($1, $2, $3, $4, $5, $6)', [
          `${PERSON}-DT${i}`, PERSON, d, s, (i + k) % 4 === 0 ? 'positive' : 'negative', 'urine',
        ]);
        rows++;
      }
    }
    for (let i = 0; i < 20; i++) {
      await tx.query('INSERT INTO risk_events (event_id, person_id, date, type) VALUES ($1, $2, $3, $4)', [
        `${PERSON}-RE${i}`, PERSON, addDays(start, i * 90), ['non_fatal_overdose', 'prison_release', 'hospital_discharge', 'self_harm'][i % 4] ?? 'other',
      ]);
      await tx.query('INSERT INTO naloxone (supply_id, date, product, person_id, recipient) VALUES ($1, $2, $3, $4, $5)', [`${PERSON}-NX${i}`, addDays(start, i * 91 + 5), 'nasal', PERSON, 'service_user']);
      await tx.query('INSERT INTO sc_reviews (review_id, person_id, date, decision) VALUES ($1, $2, $3, $4)', [`${PERSON}-SC${i}`, PERSON, addDays(start, i * 91 + 10), 'supervised']);
      rows += 3;
    }
    for (let i = 0; i < 50; i++) {
      await tx.query(
        `INSERT INTO care_actions (person_id, flag, action_id, text, status, declined_reason, due_date, created_by, updated_by) VALUES ($1, 'on_top', 'on_top.optimise_dose', 'Review the dose', $2, $3, $4, 'bench', 'bench')`,
        [PERSON, i % 3 === 0 ? 'planned' : i % 3 === 1 ? 'done' : 'declined', i % 3 === 2 ? 'Person declined' : null, addDays(start, i * 36)],
      );
      rows++;
    }
  });
  return rows;
}

export async function benchPerson(opts: BenchPersonOptions): Promise<Record<string, number>> {
  const db = await openDb({ databaseUrl: opts.databaseUrl, dataDir: opts.dataDir ?? null, poolSize: 8 });
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), port: 0, host: '127.0.0.1' };
  const app = await buildApp({ db, config, webRoot: null, logger: false });
  try {
    await migrate(db);
    let services = await db.query<{ service_id: string; local_authority: string | null }>('SELECT service_id, local_authority FROM services ORDER BY service_id LIMIT 1');
    if (services.length === 0) {
      await db.query(`INSERT INTO services (service_id, name, local_authority) VALUES ('BENCH-S', 'Bench service', 'E06000009')`);
      services = [{ service_id: 'BENCH-S', local_authority: 'E06000009' }];
    }
    const first = services[0] as { service_id: string; local_authority: string | null };
    const existing = await db.query<{ scope_id: string | null }>('SELECT scope_id FROM users WHERE username = $1', ['keyworker']);
    if (existing.length === 0) await createDemoAccounts(db, first.service_id, first.local_authority ?? 'E00000000', app.secrets);
    const serviceId = existing[0]?.scope_id ?? first.service_id;
    const today = new Date().toISOString().slice(0, 10);
    await removePerson(db);
    const rows = await addPerson(db, serviceId, today);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const res = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'keyworker', password: DEMO_PASSWORD }) });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const get = async (): Promise<number> => {
      const t = performance.now();
      const r = await fetch(`${url}/api/people/${PERSON}`, { headers: { cookie } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`record: ${r.status}`);
      return performance.now() - t;
    };
    for (let i = 0; i < 10; i++) await get();
    const n = opts.requests ?? 200;
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(await get());
    times.sort((a, b) => a - b);
    return {
      historyRows: rows,
      requests: n,
      p50Ms: +percentile(times, 50).toFixed(1),
      p95Ms: +percentile(times, 95).toFixed(1),
      maxMs: +(times[times.length - 1] ?? 0).toFixed(1),
    };
  } finally {
    await app.close();
    await removePerson(db).catch(() => undefined);
    await db.close();
  }
}
