import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTotpCode, startTestApp, type TestApp } from '../testing/app';
import { DEMO_PASSWORD } from './bootstrap';
import { loadConfig } from '../config';
import { buildApp } from './app';

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? String(raw[0]) : String(raw);
  return first.split(';')[0] ?? '';
}

describe('HTTP API and the access layer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ webRoot: null });
  });
  afterAll(async () => {
    await t.close();
  });

  async function signIn(username: string, password = DEMO_PASSWORD) {
    let res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password } });
    // Administrators give the code of their authenticator app too (the published demo secret).
    if ((res.json() as { next?: string }).next === 'totp') res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password, code: await demoTotpCode() } });
    return { res, cookie: cookieOf(res), csrf: (res.json() as { csrfToken?: string }).csrfToken ?? '' };
  }

  it('answers the health check without signing in', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'pglite' });
  });

  it('refuses data to anyone not signed in, as problem+json, and audits the refusal', async () => {
    const res = await t.app.inject({ url: '/api/data/summary' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, title: 'Not signed in' });
    const audit = await t.db.query<{ outcome: string }>(`SELECT outcome FROM audit_log WHERE action = 'data.summary' ORDER BY seq DESC LIMIT 1`);
    expect(audit[0]?.outcome).toBe('denied');
  });

  it('signs in with a secure session cookie and a CSRF token', async () => {
    const { res, cookie, csrf } = await signIn('admin');
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(csrf.length).toBeGreaterThan(20);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { username: 'admin', role: 'administrator' }, csrfToken: csrf });
    expect((me.json() as { user: { permissions: string[] } }).user.permissions).toEqual(expect.arrayContaining(['data.import', 'data.export']));
    const summary = await t.app.inject({ url: '/api/data/summary', headers: { cookie } });
    expect(summary.statusCode).toBe(200);
    expect((summary.json() as { tables: { table: string; rows: number }[] }).tables.find((x) => x.table === 'services')?.rows).toBe(1);
  });

  it('rejects a wrong password without saying which part was wrong', async () => {
    const bad = await signIn('admin', 'not-the-password');
    expect(bad.res.statusCode).toBe(401);
    const unknown = await signIn('nobody-here', 'whatever');
    expect(unknown.res.statusCode).toBe(401);
    expect(unknown.res.json()).toEqual(bad.res.json());
  });

  it('locks an account after repeated failures', async () => {
    for (let i = 0; i < 5; i++) await signIn('pin', 'wrong');
    const locked = await signIn('pin');
    expect(locked.res.statusCode).toBe(429);
  });

  it('requires the CSRF token on writes made with a session', async () => {
    const { cookie, csrf } = await signIn('data');
    const without = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } });
    expect(without.statusCode).toBe(403);
    const withToken = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, 'x-csrf-token': csrf } });
    expect(withToken.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('refuses a role the policy does not name', async () => {
    const { cookie } = await signIn('keyworker');
    const res = await t.app.inject({ url: '/api/data/imports', headers: { cookie } });
    expect(res.statusCode).toBe(403);
  });

  it('answers malformed JSON with a problem and no stack trace', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/at .*\.ts/);
  });

  it('reports field-level validation errors', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: '' } });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['body.username', 'body.password']));
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/sign-in', '/api/data/summary', '/api/health']));
  });

  it('chains every audit record to the previous one', async () => {
    const rows = await t.db.query<{ seq: number; prev_hash: string | null; hash: string }>('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq');
    expect(rows.length).toBeGreaterThan(5);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
  });
});

describe('route policy enforcement', () => {
  it('refuses to start when an API route declares no policy', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const t = await startTestApp({ webRoot: null });
    try {
      const built = await buildApp({ db: t.db, config, webRoot: null, logger: false });
      expect(() => built.get('/api/unguarded', async () => 'oops')).toThrow(/declares no access policy/);
      await built.close();
    } finally {
      await t.close();
    }
  });
});
