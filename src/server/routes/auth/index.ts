import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  claimTotpStep,
  createChallenge,
  deleteSession,
  disableTotp,
  enableTotp,
  findUserById,
  findUserByUsername,
  readChallenge,
  totpSecretOf,
  type SecretSealer,
  recordFailedSignIn,
  setPasswordHash,
  unusedRecoveryCodes,
  useRecoveryCode,
  type UserRow,
} from '../../../data/accounts';
import type { Queryable } from '../../../data/db';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../auth/passwords';
import { describeUser, principalOf, startSession } from '../../auth/session';
import {
  checkTotp,
  groupSecret,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  totpRequiredFor,
  totpUri,
} from '../../auth/totp';
import { errorResponses, HttpProblem } from '../../problem';
import { SESSION_COOKIE } from '../../app';
import { oidcRoutes } from './oidc';

export const userSchema = z.object({
  id: z.number().int().nullable(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  roleLabel: z.string(),
  scope: z.object({ type: z.string(), id: z.string().nullable(), label: z.string() }),
  permissions: z.array(z.string()).describe('The actions this user\'s role allows (scope is checked per record)'),
});

const enrolmentSchema = z.object({
  token: z.string().describe('Send back with the first code to finish enrolment (valid 10 minutes)'),
  secret: z.string().describe('The TOTP secret (base32), grouped in fours for typing'),
  uri: z.string().describe('otpauth:// link for an authenticator app'),
});

const signedIn = z.object({ user: userSchema, csrfToken: z.string() });
const signInResponse = z.union([
  signedIn,
  z.object({ next: z.literal('totp').describe('Password accepted: send it again with the code from the authenticator app') }),
  z.object({ next: z.literal('totp_enrol').describe('Password accepted: this role needs a second factor; set it up first'), enrolment: enrolmentSchema }),
]);

/** A new password: long enough to resist guessing (NCSC: length over complexity). */
const newPassword = z.string().min(12, 'at least 12 characters').max(1000);

const ENROL_MINUTES = 10;
/** The secret offered at enrolment waits in the challenge encrypted too. */
const ENROL_PURPOSE = 'beacon:challenge.totp_enrol';

type SecondFactor = { ok: true } | { ok: false; why: string };

/** Checks a TOTP code or a recovery code for a user who has a second factor. */
async function checkSecondFactor(db: Queryable, box: SecretSealer, user: UserRow, code: string): Promise<SecondFactor> {
  const secret = totpSecretOf(box, user);
  if (!secret) return { ok: false, why: 'no second factor' };
  if (looksLikeRecoveryCode(code)) {
    return (await useRecoveryCode(db, user.id, hashRecoveryCode(code))) ? { ok: true } : { ok: false, why: 'wrong recovery code' };
  }
  const step = await checkTotp(secret, code);
  if (step === null) return { ok: false, why: 'wrong code' };
  // A code is accepted once. The demo accounts share a published secret (docs/security.md),
  // so replay protection would protect nothing there and only trip up people trying the demo.
  if (!user.demo && !(await claimTotpStep(db, user.id, step))) return { ok: false, why: 'code already used' };
  return { ok: true };
}

export async function authRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = fastify.beaconConfig;
  const box = fastify.secrets;

  app.post(
    '/api/auth/sign-in',
    {
      config: { policy: 'auth.sign_in' },
      schema: {
        summary: 'Sign in with a local account (and a second factor when the account has one)',
        tags: ['auth'],
        body: z.object({
          username: z.string().min(1).max(200),
          password: z.string().min(1).max(1000),
          code: z.string().max(40).optional().describe('The 6-digit code from the authenticator app, or a recovery code'),
        }),
        response: { 200: signInResponse, ...errorResponses, 429: errorResponses[401] },
      },
    },
    async (req, reply) => {
      const { username, password, code } = req.body;
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
        const principal = principalOf(user);
        if (!principal) return { ok: false as const, why: 'no valid role', userId: user.id };
        if (user.totp_secret && user.totp_enabled_at) {
          if (!code) return { ok: true as const, next: 'totp' as const, userId: user.id };
          const factor = await checkSecondFactor(db, box, user, code);
          if (!factor.ok) {
            // A wrong code counts towards the lockout like a wrong password.
            await recordFailedSignIn(db, user.id, config.signIn.maxFailures, config.signIn.lockoutMinutes);
            return { ok: false as const, why: factor.why, userId: user.id, badCode: true };
          }
        } else if (totpRequiredFor(user.role, user.totp_required)) {
          const secret = newTotpSecret();
          const token = await createChallenge(db, 'totp_enrol', user.id, { secret: box.seal(secret, ENROL_PURPOSE) }, ENROL_MINUTES);
          return { ok: true as const, next: 'totp_enrol' as const, userId: user.id, enrolment: { token, secret: groupSecret(secret), uri: totpUri(user.username, secret) } };
        }
        const session = await startSession(db, req, reply, config, user);
        return { ok: true as const, next: null, principal, csrfToken: session.csrfToken };
      });
      if (!result.ok) {
        await req.ctx.audit({ action: 'auth.sign_in', resource: { type: 'user', id: 'userId' in result ? result.userId : null }, outcome: 'denied', detail: { why: result.why } });
        if ('locked' in result) throw new HttpProblem(429, 'This account is locked after repeated failed sign-ins. Try again later or ask an administrator.');
        if ('badCode' in result) throw new HttpProblem(401, 'The security code is not right. Enter the current code from your authenticator app, or a recovery code.');
        throw new HttpProblem(401, 'The username or password is not right');
      }
      if (result.next === 'totp') return { next: 'totp' as const };
      if (result.next === 'totp_enrol') return { next: 'totp_enrol' as const, enrolment: result.enrolment };
      return { user: describeUser(result.principal), csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/api/auth/totp/enrol',
    {
      config: { policy: 'auth.totp_enrol' },
      schema: {
        summary: 'Finish setting up a second factor: the enrolment token and the first code from the app. Starts a new session and returns one-time recovery codes (shown once).',
        tags: ['auth'],
        body: z.object({ token: z.string().min(1).max(200), code: z.string().min(1).max(20) }),
        response: { 200: signedIn.extend({ recoveryCodes: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { token, code } = req.body;
      const result = await req.ctx.run('auth.totp_enrol', { type: 'user' }, async (db) => {
        const challenge = await readChallenge(db, 'totp_enrol', token, false);
        const sealed = challenge?.data.secret;
        if (!challenge || challenge.userId === null || typeof sealed !== 'string') return { ok: false as const, why: 'expired' };
        const secret = box.open(sealed, ENROL_PURPOSE);
        const user = await findUserById(db, challenge.userId);
        const principal = user && user.active ? principalOf(user) : null;
        if (!user || !principal) return { ok: false as const, why: 'no such user' };
        if (user.locked_until && new Date(user.locked_until) > new Date()) return { ok: false as const, why: 'locked' };
        const step = await checkTotp(secret, code);
        if (step === null) {
          await recordFailedSignIn(db, user.id, config.signIn.maxFailures, config.signIn.lockoutMinutes);
          return { ok: false as const, why: 'wrong code', retry: true };
        }
        await readChallenge(db, 'totp_enrol', token, true);
        const codes = newRecoveryCodes();
        await enableTotp(db, box, user.id, secret, step, codes.map(hashRecoveryCode));
        const session = await startSession(db, req, reply, config, user);
        return { ok: true as const, principal, csrfToken: session.csrfToken, codes };
      });
      if (!result.ok) {
        await req.ctx.audit({ action: 'auth.totp_enrol', resource: { type: 'user' }, outcome: 'denied', detail: { why: result.why } });
        if ('retry' in result) throw new HttpProblem(400, 'The code is not right', [{ field: 'code', message: 'Enter the 6-digit code your authenticator app shows now' }]);
        throw new HttpProblem(401, 'The set-up has expired or is not valid. Sign in again to start it again.');
      }
      return { user: describeUser(result.principal), csrfToken: result.csrfToken, recoveryCodes: result.codes };
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
      schema: { summary: 'The signed-in user', tags: ['auth'], response: { 200: signedIn, ...errorResponses } },
    },
    async (req) => {
      const p = req.ctx.principal;
      if (!p) throw new HttpProblem(401, 'Not signed in');
      return { user: describeUser(p), csrfToken: req.csrfToken ?? '' };
    },
  );

  const accountSchema = z.object({
    totpEnabled: z.boolean(),
    totpRequired: z.boolean(),
    recoveryCodesLeft: z.number().int(),
    sso: z.boolean(),
    hasPassword: z.boolean(),
  });

  /** The signed-in user's own row; 400 for principals without an account (API tokens). */
  const ownUser = async (db: Queryable, userId: number | null): Promise<UserRow> => {
    const user = userId === null ? null : await findUserById(db, userId);
    if (!user) throw new HttpProblem(400, 'Only a signed-in user account has these settings');
    return user;
  };

  app.get(
    '/api/auth/account',
    {
      config: { policy: 'auth.account' },
      schema: { summary: 'Your account: second factor and sign-in methods', tags: ['auth'], response: { 200: accountSchema, ...errorResponses } },
    },
    async (req) =>
      req.ctx.run('auth.account', { type: 'user', id: req.ctx.principal?.userId ?? null }, async (db) => {
        const user = await ownUser(db, req.ctx.principal?.userId ?? null);
        return {
          totpEnabled: Boolean(user.totp_enabled_at),
          totpRequired: totpRequiredFor(user.role, user.totp_required),
          recoveryCodesLeft: await unusedRecoveryCodes(db, user.id),
          sso: user.oidc_subject !== null,
          hasPassword: user.password_hash !== null,
        };
      }),
  );

  app.post(
    '/api/auth/totp/setup',
    {
      config: { policy: 'auth.account_change' },
      schema: {
        summary: 'Start setting up (or replacing) your second factor; finish with POST /api/auth/totp/enrol',
        tags: ['auth'],
        body: z.object({}).strict().optional(),
        response: { 200: enrolmentSchema, ...errorResponses },
      },
    },
    async (req) =>
      req.ctx.run('auth.account_change', { type: 'user', id: req.ctx.principal?.userId ?? null }, async (db) => {
        const user = await ownUser(db, req.ctx.principal?.userId ?? null);
        const secret = newTotpSecret();
        const token = await createChallenge(db, 'totp_enrol', user.id, { secret: box.seal(secret, ENROL_PURPOSE) }, ENROL_MINUTES);
        return { token, secret: groupSecret(secret), uri: totpUri(user.username, secret) };
      }, { change: 'totp_setup' }),
  );

  app.post(
    '/api/auth/totp/disable',
    {
      config: { policy: 'auth.account_change' },
      schema: {
        summary: 'Turn your second factor off (not allowed when your role or your administrator requires it)',
        tags: ['auth'],
        body: z.object({ password: z.string().min(1).max(1000) }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await req.ctx.run('auth.account_change', { type: 'user', id: req.ctx.principal?.userId ?? null }, async (db) => {
        const user = await ownUser(db, req.ctx.principal?.userId ?? null);
        if (totpRequiredFor(user.role, user.totp_required)) throw new HttpProblem(403, 'Your role needs a second factor, so it cannot be turned off');
        if (!user.password_hash || !(await verifyPassword(user.password_hash, req.body.password))) {
          throw new HttpProblem(400, 'The password is not right', [{ field: 'password', message: 'Enter your current password' }]);
        }
        await disableTotp(db, user.id);
      }, { change: 'totp_disable' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { policy: 'auth.account_change' },
      schema: {
        summary: 'Change your own password (ends your other sessions; you are signed in again)',
        tags: ['auth'],
        body: z.object({ current: z.string().min(1).max(1000), password: newPassword }),
        response: { 200: signedIn, ...errorResponses },
      },
    },
    async (req, reply) => {
      const result = await req.ctx.run('auth.account_change', { type: 'user', id: req.ctx.principal?.userId ?? null }, async (db) => {
        const user = await ownUser(db, req.ctx.principal?.userId ?? null);
        if (!user.password_hash || !(await verifyPassword(user.password_hash, req.body.current))) {
          throw new HttpProblem(400, 'The current password is not right', [{ field: 'current', message: 'Enter your current password' }]);
        }
        await setPasswordHash(db, user.id, await hashPassword(req.body.password));
        const principal = principalOf(user);
        if (!principal) throw new HttpProblem(403, 'Your account has no valid role');
        const session = await startSession(db, req, reply, config, user);
        return { principal, csrfToken: session.csrfToken };
      }, { change: 'password' });
      return { user: describeUser(result.principal), csrfToken: result.csrfToken };
    },
  );

  await app.register(oidcRoutes);
}
