import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as client from 'openid-client';
import { z } from 'zod';
import { createChallenge, createUser, findUserById, findUserByOidc, findUserByUsername, linkOidc, readChallenge, type UserRow } from '../../../data/accounts';
import type { Queryable } from '../../../data/db';
import { amrHasSecondFactor, loadOidcSettings, oidcClient, roleFromClaims, usernameFromClaims, type OidcSettings } from '../../auth/oidc';
import { principalOf, startSession } from '../../auth/session';
import { TOTP_REQUIRED_ROLES } from '../../auth/totp';
import { errorResponses, HttpProblem } from '../../problem';

const STATE_COOKIE = 'beacon_oidc';
const STATE_MINUTES = 10;

/** Only a path on this site, never another origin (open redirect). */
function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith('/sign-in')) return '/';
  return value.slice(0, 500);
}

function redirectUri(settings: OidcSettings, req: FastifyRequest): URL {
  return settings.redirectUri ?? new URL('/api/auth/oidc/callback', `${req.protocol}://${req.host}`);
}

type Outcome = { ok: true; user: UserRow } | { ok: false; why: string };

/**
 * The Beacon account for a verified identity: the account already linked to it; else a
 * single-sign-on-only account (no password) pre-provisioned by an administrator under the
 * same username, which is then linked; else, when a role mapping is configured and the
 * claims carry a mapped value, a new account with that role and scope. A local account
 * with a password is never taken over by a matching username.
 */
async function accountFor(db: Queryable, settings: OidcSettings, claims: Record<string, unknown>): Promise<Outcome> {
  const issuer = settings.issuer.href;
  const sub = typeof claims.sub === 'string' ? claims.sub : null;
  if (!sub) return { ok: false, why: 'no subject' };
  let user = await findUserByOidc(db, issuer, sub);
  if (!user) {
    const username = usernameFromClaims(settings, claims);
    if (!username) return { ok: false, why: 'no username claim' };
    const existing = await findUserByUsername(db, username);
    if (existing) {
      if (existing.password_hash !== null || existing.oidc_subject !== null) return { ok: false, why: 'username belongs to a local account' };
      await linkOidc(db, existing.id, issuer, sub);
      user = await findUserById(db, existing.id);
    } else {
      const grant = roleFromClaims(settings, claims);
      if (!grant) return { ok: false, why: 'no account and no role mapping' };
      if ((TOTP_REQUIRED_ROLES as readonly string[]).includes(grant.role) && !amrHasSecondFactor(claims.amr)) {
        return { ok: false, why: 'identity provider did not report a second factor' };
      }
      const name = typeof claims.name === 'string' && claims.name.length <= 200 ? claims.name : username;
      const id = await createUser(db, { username, displayName: name, passwordHash: null, role: grant.role, scopeType: grant.scopeType, scopeId: grant.scopeId });
      if (id === null) return { ok: false, why: 'username taken' };
      await linkOidc(db, id, issuer, sub);
      user = await findUserById(db, id);
    }
  }
  if (!user || !user.active) return { ok: false, why: 'inactive account' };
  if (user.locked_until && new Date(user.locked_until) > new Date()) return { ok: false, why: 'locked' };
  // Roles that need a second factor sign in through the provider only when it says one was used.
  if ((user.totp_required || (TOTP_REQUIRED_ROLES as readonly string[]).includes(user.role)) && !amrHasSecondFactor(claims.amr)) {
    return { ok: false, why: 'identity provider did not report a second factor' };
  }
  return { ok: true, user };
}

export async function oidcRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = fastify.beaconConfig;
  const settings = loadOidcSettings();
  const discover = settings ? oidcClient(settings) : null;

  app.get(
    '/api/auth/oidc',
    {
      config: { policy: 'auth.oidc_config' },
      schema: {
        summary: 'Whether single sign-on (OpenID Connect) is offered, and the button text',
        tags: ['auth'],
        response: { 200: z.object({ enabled: z.boolean(), label: z.string().nullable() }) },
      },
    },
    async () => ({ enabled: settings !== null, label: settings?.label ?? null }),
  );

  app.get(
    '/api/auth/oidc/start',
    {
      config: { policy: 'auth.oidc' },
      schema: { summary: 'Go to the identity provider to sign in', tags: ['auth'], querystring: z.object({ next: z.string().max(500).optional() }), response: errorResponses },
    },
    async (req, reply) => {
      if (!settings || !discover) throw new HttpProblem(404, 'Single sign-on is not set up');
      const oidc = await discover().catch(() => {
        throw new HttpProblem(502, 'The identity provider cannot be reached');
      });
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const callback = redirectUri(settings, req);
      const token = await req.ctx.run('auth.oidc', { type: 'sso' }, (db) =>
        createChallenge(db, 'oidc', null, { verifier, state, nonce, next: safeNext(req.query.next), redirect: callback.href }, STATE_MINUTES),
      { step: 'start' });
      // SameSite=Lax: the provider sends the browser back with a top-level navigation.
      reply.setCookie(STATE_COOKIE, token, {
        path: '/api/auth/oidc',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies === 'true' || (config.secureCookies === 'auto' && req.protocol === 'https'),
        maxAge: STATE_MINUTES * 60,
      });
      const url = client.buildAuthorizationUrl(oidc, {
        redirect_uri: callback.href,
        scope: 'openid profile email',
        // Ask for the authentication methods used (RFC 8176), to know whether a second factor was.
        claims: JSON.stringify({ id_token: { amr: { essential: true } } }),
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    '/api/auth/oidc/callback',
    {
      config: { policy: 'auth.oidc' },
      schema: { summary: 'Where the identity provider sends the browser back', tags: ['auth'], querystring: z.object({}).passthrough(), response: errorResponses },
    },
    async (req, reply) => {
      if (!settings || !discover) throw new HttpProblem(404, 'Single sign-on is not set up');
      const token = req.cookies[STATE_COOKIE];
      reply.clearCookie(STATE_COOKIE, { path: '/api/auth/oidc' });
      const fail = async (why: string) => {
        await req.ctx.audit({ action: 'auth.oidc', resource: { type: 'sso' }, outcome: 'denied', detail: { why } });
        return reply.redirect('/sign-in?sso=failed', 302);
      };
      if (!token) return fail('no state cookie');
      const result = await req.ctx.run('auth.oidc', { type: 'sso' }, async (db): Promise<Outcome & { next?: string }> => {
        const challenge = await readChallenge(db, 'oidc', token, true);
        const d = challenge?.data;
        if (!d || typeof d.verifier !== 'string' || typeof d.state !== 'string' || typeof d.nonce !== 'string' || typeof d.redirect !== 'string') {
          return { ok: false, why: 'unknown or expired state' };
        }
        const current = new URL(d.redirect);
        current.search = new URL(req.url, 'http://x').search;
        let claims: Record<string, unknown> | undefined;
        try {
          const oidc = await discover();
          const tokens = await client.authorizationCodeGrant(oidc, current, {
            pkceCodeVerifier: d.verifier,
            expectedState: d.state,
            expectedNonce: d.nonce,
            idTokenExpected: true,
          });
          const idClaims = tokens.claims();
          if (idClaims) {
            // Profile claims (username, name, groups) usually come from the UserInfo endpoint;
            // the ID token's own claims (sub, amr) win.
            const info = await client.fetchUserInfo(oidc, tokens.access_token, idClaims.sub).catch(() => ({}));
            claims = { ...info, ...idClaims };
          }
        } catch (err) {
          return { ok: false, why: `provider response rejected (${err instanceof Error ? err.name : 'error'})` };
        }
        if (!claims) return { ok: false, why: 'no ID token' };
        const outcome = await accountFor(db, settings, claims);
        if (!outcome.ok) return outcome;
        if (!principalOf(outcome.user)) return { ok: false, why: 'no valid role' };
        await startSession(db, req, reply, config, outcome.user);
        return { ...outcome, next: safeNext(d.next) };
      }, { step: 'callback' });
      if (!result.ok) return fail(result.why);
      return reply.redirect(result.next ?? '/', 302);
    },
  );
}
