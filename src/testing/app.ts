import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config';
import type { Db } from '../data/db';
import { createTestDb } from './db';
import { migrate } from '../data/migrate';
import { buildApp } from '../server/app';
import { createDemoAccounts, DEMO_PASSWORD } from '../server/bootstrap';
import { DEMO_TOTP_SECRET, totpCode } from '../server/auth/totp';
import { secretBoxFor } from '../server/auth/secret-box';

export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface TestApp {
  url: string;
  app: FastifyInstance;
  db: Db;
  credentials: { username: string; password: string };
  close(): Promise<void>;
}

/**
 * A real Beacon server on a random loopback port over a fresh in-memory database, with
 * the demo accounts (password DEMO_PASSWORD) and, when demo=true, a small demo dataset.
 */
export async function startTestApp(options: { demo?: boolean; db?: Db; webRoot?: string | null } = {}): Promise<TestApp> {
  // Each test server has its own random key for the secrets it keeps encrypted (TOTP).
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), port: 0, host: '127.0.0.1', secretKey: randomBytes(32) };
  const secrets = secretBoxFor(config);
  const owned = options.db ? null : await createTestDb('pglite');
  const db = options.db ?? owned!.db;
  await migrate(db);
  if (options.demo) {
    const { loadDemo } = await import('../server/demo');
    await loadDemo(db, { people: 300, months: 24, seed: 7, secrets });
  } else {
    await db.query(`INSERT INTO services (service_id, name, organisation, local_authority) VALUES ('SVC-T1', 'Test service', 'Test org', 'E06000008') ON CONFLICT DO NOTHING`);
    await createDemoAccounts(db, 'SVC-T1', 'E06000008', secrets);
  }
  const app = await buildApp({ db, config, webRoot: options.webRoot === undefined ? WEB_ROOT : options.webRoot, logger: false, secrets });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    db,
    credentials: { username: 'admin', password: DEMO_PASSWORD },
    async close() {
      await app.close();
      if (owned) await owned.drop();
    },
  };
}

/**
 * Signs a demo user in through the API, as the browser does: password, then (for the
 * roles that need a second factor) the current code of the published demo TOTP secret,
 * computed as the user's authenticator app would. Not a bypass: the server checks the
 * code like any other.
 */
export async function signInDemo(
  app: FastifyInstance,
  username: string,
  password: string = DEMO_PASSWORD,
): Promise<{ statusCode: number; cookie: string; csrf: string; body: string }> {
  let res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password } });
  if (res.statusCode === 200 && (res.json() as { next?: string }).next === 'totp') {
    res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password, code: await demoTotpCode() } });
  }
  const cookie = String([res.headers['set-cookie']].flat()[0] ?? '').split(';')[0] ?? '';
  const csrf = res.statusCode === 200 ? ((res.json() as { csrfToken?: string }).csrfToken ?? '') : '';
  return { statusCode: res.statusCode, cookie, csrf, body: res.body };
}

/** The code an authenticator app set up with the demo secret shows now. */
export function demoTotpCode(): Promise<string> {
  return totpCode(DEMO_TOTP_SECRET);
}
