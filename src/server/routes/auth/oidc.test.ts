import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../testing/app';
import { hashPassword } from '../../auth/passwords';
import { SESSION_COOKIE } from '../../app';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) on a loopback
 * port: authorisation code flow with PKCE, state and nonce, then Beacon's account rules.
 */

interface Person {
  preferred_username: string;
  name: string;
  email?: string;
  groups?: string[];
  amr?: string[];
}

const PEOPLE: Record<string, Person> = {
  'sub-kw': { preferred_username: 'sso.keyworker', name: 'Sasha SSO-Keyworker', groups: ['beacon-keyworkers'] },
  'sub-pre': { preferred_username: 'pre.provisioned', name: 'Pre Provisioned' },
  'sub-admin-pwd': { preferred_username: 'sso.admin', name: 'Ada Admin', groups: ['beacon-admins'], amr: ['pwd'] },
  'sub-admin-mfa': { preferred_username: 'sso.admin2', name: 'Mo Admin', groups: ['beacon-admins'], amr: ['pwd', 'otp'] },
  'sub-nobody': { preferred_username: 'nobody', name: 'No Body', groups: ['other'] },
  'sub-takeover': { preferred_username: 'admin', name: 'Not The Admin', groups: ['beacon-keyworkers'] },
};

/** A tiny cookie jar per origin, enough to follow the redirects of a sign-in. */
class Browser {
  readonly jars = new Map<string, Map<string, string>>();
  async get(url: string): Promise<Response> {
    const u = new URL(url);
    const jar = this.jars.get(u.origin) ?? new Map<string, string>();
    this.jars.set(u.origin, jar);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair?.indexOf('=') ?? -1;
      if (!pair || i < 0) continue;
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }
  /** Follows redirects until one leaves the given origin's API or lands on a page; returns the last response and its URL. */
  async follow(url: string, max = 15): Promise<{ res: Response; url: string }> {
    let current = url;
    for (let i = 0; i < max; i++) {
      const res = await this.get(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      const next = new URL(location, current).href;
      if (!/\/api\/|\/auth|\/interaction|\/token/.test(new URL(next).pathname)) return { res, url: next };
      current = next;
    }
    throw new Error('too many redirects');
  }
}

describe('single sign-on (OpenID Connect)', () => {
  let t: TestApp;
  let idp: Server;
  let issuer: string;
  let loginAs = 'sub-kw';
  const saved = { ...process.env };

  beforeAll(async () => {
    idp = createServer();
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const address = idp.address();
    issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    Object.assign(process.env, {
      BEACON_OIDC_ISSUER: issuer,
      BEACON_OIDC_CLIENT_ID: 'beacon',
      BEACON_OIDC_CLIENT_SECRET: 'a-test-client-secret-of-enough-length',
      BEACON_OIDC_ROLE_CLAIM: 'groups',
      BEACON_OIDC_ROLE_MAP: JSON.stringify({
        'beacon-keyworkers': { role: 'keyworker', scopeType: 'service', scopeId: 'SVC-T1' },
        'beacon-admins': { role: 'administrator' },
      }),
    });
    t = await startTestApp({ webRoot: null });
    await t.db.query(
      `INSERT INTO users (username, display_name, password_hash, role, scope_type, scope_id) VALUES ('pre.provisioned', 'Pre Provisioned', NULL, 'service_manager', 'service', 'SVC-T1')`,
    );

    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'beacon',
          client_secret: 'a-test-client-secret-of-enough-length',
          redirect_uris: [`${t.url}/api/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      claims: { amr: null, acr: null, auth_time: null, sid: null, iss: null, openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email'] },
      findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, ...PEOPLE[id] }) }),
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      features: { devInteractions: { enabled: false }, claimsParameter: { enabled: true } },
      pkce: { required: () => true },
      cookies: { keys: ['test-cookie-key-one'] },
    });
    const handle = provider.callback();
    // The provider's own login and consent pages, replaced by a test that signs in as `loginAs`.
    const interact = async (req: IncomingMessage, res: ServerResponse) => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: loginAs, amr: PEOPLE[loginAs]?.amr ?? ['pwd'] } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session?.accountId ?? loginAs, clientId: details.params.client_id ?? 'beacon' });
      if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
      if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    };
    idp.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/interaction/')) {
        interact(req, res).catch(() => {
          res.statusCode = 500;
          res.end();
        });
        return;
      }
      handle(req, res);
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => idp.close(() => resolve()));
    for (const k of Object.keys(process.env)) if (k.startsWith('BEACON_OIDC_')) delete process.env[k];
    Object.assign(process.env, saved);
  });

  async function ssoSignIn(sub: string, next = '/mat'): Promise<{ landed: string; cookie: string | null }> {
    loginAs = sub;
    const browser = new Browser();
    const { url } = await browser.follow(`${t.url}/api/auth/oidc/start?next=${encodeURIComponent(next)}`);
    const session = browser.jars.get(new URL(t.url).origin)?.get(SESSION_COOKIE) ?? null;
    return { landed: new URL(url).pathname + new URL(url).search, cookie: session ? `${SESSION_COOKIE}=${session}` : null };
  }
  const me = async (cookie: string | null) => (await t.app.inject({ url: '/api/auth/me', headers: cookie ? { cookie } : {} })).json<{ user?: { username: string; role: string; scope: { id: string | null } } }>();

  it('says single sign-on is offered, with its button text', async () => {
    expect((await t.app.inject({ url: '/api/auth/oidc' })).json()).toEqual({ enabled: true, label: 'Sign in with your organisation account' });
  });

  it('creates an account from a mapped group claim and signs in, back to the page asked for', async () => {
    const { landed, cookie } = await ssoSignIn('sub-kw');
    expect(landed).toBe('/mat');
    expect((await me(cookie)).user).toMatchObject({ username: 'sso.keyworker', role: 'keyworker', scope: { id: 'SVC-T1' } });
    const row = await t.db.query<{ password_hash: string | null; oidc_subject: string }>(`SELECT password_hash, oidc_subject FROM users WHERE username = 'sso.keyworker'`);
    expect(row[0]).toEqual({ password_hash: null, oidc_subject: 'sub-kw' });
    // The second time the linked account is used.
    expect((await me((await ssoSignIn('sub-kw')).cookie)).user?.username).toBe('sso.keyworker');
  });

  it('links a pre-provisioned single-sign-on account and keeps its role and scope', async () => {
    const { cookie } = await ssoSignIn('sub-pre', '/');
    expect((await me(cookie)).user).toMatchObject({ username: 'pre.provisioned', role: 'service_manager' });
  });

  it('refuses an administrator whose provider did not report a second factor, and admits one that did', async () => {
    const refused = await ssoSignIn('sub-admin-pwd');
    expect(refused.landed).toBe('/sign-in?sso=failed');
    expect(refused.cookie).toBeNull();
    // No account was made for them either.
    expect(await t.db.query(`SELECT 1 FROM users WHERE username = 'sso.admin'`)).toEqual([]);
    const admitted = await ssoSignIn('sub-admin-mfa');
    expect((await me(admitted.cookie)).user).toMatchObject({ username: 'sso.admin2', role: 'administrator' });
  });

  it('refuses someone with no account and no mapped role', async () => {
    const r = await ssoSignIn('sub-nobody');
    expect(r.landed).toBe('/sign-in?sso=failed');
    expect(r.cookie).toBeNull();
  });

  it('never takes over a local account with a password by a matching username', async () => {
    await t.db.query(`UPDATE users SET password_hash = $1 WHERE username = 'admin'`, [await hashPassword('x-long-password')]);
    const r = await ssoSignIn('sub-takeover');
    expect(r.landed).toBe('/sign-in?sso=failed');
    expect(r.cookie).toBeNull();
  });

  it('rejects a callback without the state cookie, with a forged state, or replayed', async () => {
    expect((await t.app.inject({ url: '/api/auth/oidc/callback?code=abc&state=xyz' })).headers.location).toBe('/sign-in?sso=failed');
    const start = await t.app.inject({ url: '/api/auth/oidc/start' });
    const stateCookie = String([start.headers['set-cookie']].flat()[0]).split(';')[0] ?? '';
    const forged = await t.app.inject({ url: '/api/auth/oidc/callback?code=abc&state=forged', headers: { cookie: stateCookie } });
    expect(forged.headers.location).toBe('/sign-in?sso=failed');
    // The state was used up by that attempt.
    const again = await t.app.inject({ url: '/api/auth/oidc/callback?code=abc&state=forged', headers: { cookie: stateCookie } });
    expect(again.headers.location).toBe('/sign-in?sso=failed');
    const audited = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.oidc' AND outcome = 'denied'`);
    expect(audited[0]?.n).toBeGreaterThanOrEqual(3);
  });

  it('sends only to paths on this site after sign-in (no open redirect)', async () => {
    const r = await ssoSignIn('sub-kw', '//evil.example/steal');
    expect(r.landed).toBe('/');
  });
});
