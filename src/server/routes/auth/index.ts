import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../../config';
import { createSession, deleteSession, findUserByUsername, recordFailedSignIn, recordSignIn } from '../../../data/accounts';
import { ROLES, isRole, type Principal } from '../../access/roles';
import { POLICIES, roleAllows, type Action } from '../../access/policy';
import { dummyPasswordHash, verifyPassword } from '../../auth/passwords';
import { errorResponses, HttpProblem } from '../../problem';
import { SESSION_COOKIE } from '../../app';

export const userSchema = z.object({
  id: z.number().int().nullable(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  roleLabel: z.string(),
  scope: z.object({ type: z.string(), id: z.string().nullable(), label: z.string() }),
  permissions: z.array(z.string()).describe('The actions this user\'s role allows (scope is checked per record)'),
});

function describeUser(p: Principal): z.infer<typeof userSchema> {
  const scopeLabel =
    p.scope.id === null ? 'Whole organisation' : `${p.scope.type.replace('_', ' ')} ${p.scope.id}`;
  return {
    id: p.userId,
    username: p.username,
    displayName: p.displayName,
    role: p.role,
    roleLabel: ROLES[p.role],
    scope: { type: p.scope.type, id: p.scope.id, label: scopeLabel },
    permissions: (Object.keys(POLICIES) as Action[]).filter((a) => POLICIES[a].roles !== 'anyone' && roleAllows(a, p.role)),
  };
}

function secure(config: Config, req: FastifyRequest): boolean {
  return config.secureCookies === 'true' || (config.secureCookies === 'auto' && req.protocol === 'https');
}

function setSessionCookie(reply: FastifyReply, req: FastifyRequest, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(config, req),
    maxAge: config.session.maxHours * 3600,
  });
}

export async function authRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = fastify.beaconConfig;

  app.post(
    '/api/auth/sign-in',
    {
      config: { policy: 'auth.sign_in' },
      schema: {
        summary: 'Sign in with a local account',
        tags: ['auth'],
        body: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) }),
        response: { 200: z.object({ user: userSchema, csrfToken: z.string() }), ...errorResponses, 429: errorResponses[401] },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const result = await req.ctx.run('auth.sign_in', { type: 'user' }, async (db) => {
        const user = await findUserByUsername(db, username);
        if (!user || !user.password_hash || !user.active) {
          await verifyPassword(await dummyPasswordHash(), password);
          return { ok: false as const, why: 'unknown or inactive account' };
        }
        if (user.locked_until && new Date(user.locked_until) > new Date()) {
          return { ok: false as const, why: 'locked', locked: true, userId: user.id };
        }
        if (!(await verifyPassword(user.password_hash, password))) {
          await recordFailedSignIn(db, user.id, config.signIn.maxFailures, config.signIn.lockoutMinutes);
          return { ok: false as const, why: 'wrong password', userId: user.id };
        }
        if (!isRole(user.role)) return { ok: false as const, why: 'no valid role', userId: user.id };
        await recordSignIn(db, user.id);
        // A new session id at every sign-in: no session fixation.
        const session = await createSession(db, user.id, config.session.maxHours);
        const principal: Principal = {
          userId: user.id,
          username: user.username,
          displayName: user.display_name,
          role: user.role,
          scope: { type: user.scope_type, id: user.scope_id },
          via: 'session',
        };
        return { ok: true as const, session, principal };
      });
      if (!result.ok) {
        await req.ctx.audit({ action: 'auth.sign_in', resource: { type: 'user', id: 'userId' in result ? result.userId : null }, outcome: 'denied', detail: { why: result.why } });
        if ('locked' in result) throw new HttpProblem(429, 'This account is locked after repeated failed sign-ins. Try again later or ask an administrator.');
        throw new HttpProblem(401, 'The username or password is not right');
      }
      const old = req.cookies[SESSION_COOKIE];
      if (old) await req.ctx.run('auth.sign_in', { type: 'session' }, (db) => deleteSession(db, old));
      setSessionCookie(reply, req, config, result.session.token);
      return { user: describeUser(result.principal), csrfToken: result.session.csrfToken };
    },
  );

  app.post(
    '/api/auth/sign-out',
    { config: { policy: 'auth.sign_out' }, schema: { summary: 'Sign out', tags: ['auth'], response: { 204: z.null(), ...errorResponses } } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await req.ctx.run('auth.sign_out', { type: 'session' }, (db) => deleteSession(db, token));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { policy: 'auth.me' },
      schema: { summary: 'The signed-in user', tags: ['auth'], response: { 200: z.object({ user: userSchema, csrfToken: z.string() }), ...errorResponses } },
    },
    async (req) => {
      const p = req.ctx.principal;
      if (!p) throw new HttpProblem(401, 'Not signed in');
      return { user: describeUser(p), csrfToken: req.csrfToken ?? '' };
    },
  );
}
