import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInDemo, startTestApp, type TestApp } from '../testing/app';
import { demoAccounts } from './bootstrap';
import { POLICIES, roleAllows, type ActionPolicy } from './access/policy';
import type { Role } from './access/roles';

/**
 * Every API route × every role: the access layer answers 403 exactly when the route's
 * declared action does not name the role, and 401 to anyone not signed in. The list of
 * routes comes from the server itself, so a new route is covered the day it is added
 * (and one without a policy stops the server from starting at all).
 */
describe('authorisation matrix', () => {
  let t: TestApp;
  const sessions = new Map<Role, { cookie: string; csrf: string }>();

  beforeAll(async () => {
    t = await startTestApp({ webRoot: null });
    for (const a of demoAccounts('SVC-T1', 'E06000008')) {
      const res = await signInDemo(t.app, a.username);
      expect(res.statusCode, a.username).toBe(200);
      sessions.set(a.role, { cookie: res.cookie, csrf: res.csrf });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const concrete = (url: string) => url.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'id' ? '999999' : name === 'table' ? 'people.csv' : name === 'file' ? 'people.csv' : 'X-unknown'));

  it('lists the routes of every resource', () => {
    const urls = t.app.apiRoutes.map((r) => r.url);
    for (const prefix of ['/api/auth/', '/api/data/', '/api/mat/', '/api/risk/', '/api/ldis/', '/api/health']) {
      expect(urls.some((u) => u.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it('refuses or admits every role on every route exactly as its policy says', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.apiRoutes) {
      const policy: ActionPolicy = POLICIES[route.policy];
      if (route.policy === 'auth.sign_out') continue; // would end the session used for the rest
      for (const [role, s] of sessions) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: '{}' }),
        });
        const allowed = policy.roles === 'anyone' || roleAllows(route.policy, role);
        const refused = res.statusCode === 403 && /role does not allow/i.test(res.body);
        if (allowed === refused) mismatches.push(`${route.method} ${route.url} as ${role}: ${res.statusCode} (policy ${route.policy})`);
        expect(res.statusCode, `${route.method} ${route.url} as ${role}`).not.toBe(500);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('answers 401 on every non-public route to anyone not signed in', async () => {
    for (const route of t.app.apiRoutes) {
      const policy: ActionPolicy = POLICIES[route.policy];
      if (policy.roles === 'anyone') continue;
      const res = await t.app.inject({ method: route.method as 'GET', url: concrete(route.url), ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
