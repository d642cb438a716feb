import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInDemo, startTestApp, type TestApp } from '../../testing/app';

/**
 * Hostile input on every API route, as the most powerful roles: SQL injection, markup,
 * path traversal and oversized values in every path parameter, query string and the usual
 * body fields. Nothing may fail with a 500, leak a stack trace or SQL, or change the
 * tables the payloads aim at. (Routes come from the server itself, so new ones are covered.)
 */

const PAYLOADS = [
  "' OR '1'='1' --",
  "1; DROP TABLE users; --",
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  'x'.repeat(5000),
];

const BODY_FIELDS = ['username', 'password', 'displayName', 'role', 'scopeId', 'reason', 'note', 'outcome', 'name', 'text', 'code', 'token', 'month', 'date', 'service', 'id', 'person_id', 'report_id', 'partner_report_id'];
const LEAKS = /\bat [\w.<>]+ \(|node_modules|syntax error|SELECT |INSERT INTO|relation "|pg_|stack/i;

describe('hostile input on every route', () => {
  let t: TestApp;
  const sessions: { cookie: string; csrf: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ webRoot: null });
    for (const u of ['admin', 'caldicott', 'keyworker', 'ldis']) {
      const s = await signInDemo(t.app, u);
      expect(s.statusCode, u).toBe(200);
      sessions.push(s);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers every route with a clean client error, never a 500 or a leak', async () => {
    const usersBefore = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]?.n;
    const failures: string[] = [];
    for (const route of t.app.apiRoutes) {
      if (route.url === '/api/auth/sign-out') continue;
      for (const payload of PAYLOADS) {
        const url = route.url.replace(/:([A-Za-z]+)/g, () => encodeURIComponent(payload));
        const query = `?${['month', 'date', 'service', 'from', 'to', 'user', 'resourceId', 'status', 'next', 'page'].map((k) => `${k}=${encodeURIComponent(payload)}`).join('&')}`;
        const body = Object.fromEntries(BODY_FIELDS.map((f) => [f, payload]));
        for (const s of sessions) {
          const res = await t.app.inject({
            method: route.method as 'GET',
            url: `${url}${route.method === 'GET' ? query : ''}`,
            headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
            ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: body }),
          });
          if (res.statusCode >= 500) failures.push(`${route.method} ${route.url} ${payload.slice(0, 20)}: ${res.statusCode}`);
          if (res.statusCode >= 400 && LEAKS.test(res.body)) failures.push(`${route.method} ${route.url}: leaks ${res.body.slice(0, 120)}`);
          // Hostile text echoed inside JSON is inert; reflected into an HTML page it is not.
          if (/html/.test(String(res.headers['content-type'])) && /<script>alert|onerror=alert/.test(res.body)) failures.push(`${route.method} ${route.url}: reflects markup in HTML`);
        }
      }
    }
    expect(failures).toEqual([]);
    const usersAfter = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]?.n;
    expect(usersAfter).toBe(usersBefore);
    // The audit log is intact after all that.
    const chain = await t.app.inject({ url: '/api/admin/audit/verify', headers: { cookie: sessions[1]?.cookie ?? '' } });
    expect(chain.json()).toMatchObject({ ok: true });
  }, 600_000);

  it('brute force: locks the account after repeated failures, also for a correct password afterwards', async () => {
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'panel', password: `guess-${i}` } });
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'panel', password: 'beacon-demo' } });
    expect(res.statusCode).toBe(429);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('rejects oversized and malformed bodies without a stack trace', async () => {
    const big = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }) });
    expect(big.statusCode).toBe(413);
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"username": [' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toMatch(LEAKS);
  });
});
