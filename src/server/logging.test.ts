import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { importDataset } from '../data/dataset';
import { baseDataset, writeDataset } from '../data/dataset/test-fixtures';
import { createTestDb, type TestDb } from '../testing/db';
import { demoTotpCode } from '../testing/app';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { buildApp } from './app';
import { SecretBox } from './auth/secret-box';
import { createDemoAccounts, DEMO_PASSWORD, demoAccounts } from './bootstrap';

/**
 * A run of requests full of identifiable data, with the server logging at its most verbose:
 * the log must contain none of it (issue 8: "a test run's logs contain no personal data").
 */
describe('server logs carry no personal data', () => {
  let tdb: TestDb;
  let app: FastifyInstance;
  const lines: string[] = [];

  // The identities in play: the people of the dataset, and the demo users.
  const NHS = '9434765919';
  const DOB = '1980-05-17';
  const POSTCODE = 'FY1 1AA';
  const users = demoAccounts('S1', 'E06000009');

  beforeAll(async () => {
    tdb = await createTestDb('pglite');
    const dir = await writeDataset(baseDataset());
    expect((await importDataset(tdb.db, dir, { today: '2024-12-01' })).status).toBe('succeeded');
    await rm(dir, { recursive: true, force: true });
    const secrets = new SecretBox(randomBytes(32));
    await createDemoAccounts(tdb.db, 'S1', 'E06000009', secrets);
    app = await buildApp({ db: tdb.db, config: { ...loadConfig({ LOG_LEVEL: 'trace' }) }, webRoot: null, secrets, logStream: { write: (line) => lines.push(line) } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await tdb.drop();
  });

  it('logs requests by route pattern only, through sign-in, reads, searches, errors and emergency access', async () => {
    const signIn = async (username: string, password = DEMO_PASSWORD) => {
      let res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password } });
      if ((res.json() as { next?: string }).next === 'totp') res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password, code: await demoTotpCode() } });
      const cookie = String([res.headers['set-cookie']].flat()[0] ?? '').split(';')[0] ?? '';
      return { cookie, csrf: (res.json() as { csrfToken?: string }).csrfToken ?? '' };
    };
    for (const u of users) await signIn(u.username);
    await signIn('keyworker', 'wrong password');
    await signIn(NHS, POSTCODE);
    const kw = await signIn('keyworker');
    const admin = await signIn('admin');
    const cg = await signIn('caldicott');
    const h = (s: { cookie: string; csrf: string }) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

    await app.inject({ url: '/api/risk/person/P1?date=2024-06-30', headers: h(kw) });
    await app.inject({ url: `/api/risk/person/${NHS}?date=${DOB}`, headers: h(kw) });
    await app.inject({ url: `/api/mat/report?month=2024-06&service=${encodeURIComponent(POSTCODE)}`, headers: h(kw) });
    await app.inject({ url: `/api/nothing-here/${NHS}/${DOB}`, headers: h(kw) });
    await app.inject({ url: `/api/admin/audit?resourceId=${NHS}&user=${encodeURIComponent('Kim Keyworker')}`, headers: h(cg) });
    await app.inject({ url: `/api/admin/audit.csv?resourceId=P1`, headers: h(cg) });
    await app.inject({ url: `/api/data/export/people.csv`, headers: h(admin) });
    await app.inject({ method: 'POST', url: '/api/admin/users', headers: h(admin), payload: { username: 'jo.bloggs', displayName: `Jo Bloggs ${DOB}`, role: 'keyworker', scopeType: 'service', scopeId: 'S1' } });
    await app.inject({ method: 'POST', url: '/api/admin/users', headers: h(admin), payload: { username: NHS, displayName: POSTCODE, role: 'nonsense', scopeType: 'service' } });
    await app.inject({ method: 'POST', url: '/api/break-glass/P3', headers: h(kw), payload: { reason: `Collapsed at ${POSTCODE}, NHS ${NHS}, born ${DOB}` } });
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: `{"username":"${NHS}","password":` });
    await app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie: kw.cookie }, payload: { username: NHS } });

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    // Sanity: the log does record the requests (by pattern).
    expect(log).toMatch(/"route":"\/api\/risk\/person\/:personId"/);
    for (const needle of [NHS, '943 476 5919', DOB, POSTCODE, 'FY11AA', 'Jo Bloggs', DEMO_PASSWORD, ...users.map((u) => u.displayName)]) {
      expect(log.includes(needle), `log contains ${needle}`).toBe(false);
    }
    // No session, CSRF or person ids leak through URLs either.
    expect(log).not.toMatch(/beacon_session=/);
    expect(log).not.toMatch(/\?date=|resourceId=/);
  });
});
