import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import Papa from 'papaparse';
import { z } from 'zod';
import {
  createUser,
  deleteUserSessions,
  disableTotp,
  findUserById,
  getUserSummary,
  listUsers,
  setPasswordHash,
  updateUser,
  type UserRow,
} from '../../../data/accounts';
import type { Queryable } from '../../../data/db';
import { searchAudit, verifyAuditChain } from '../../access/audit';
import { createGrant, listGrants, REVIEW_OUTCOMES, reviewGrant, activeGrant } from '../../access/break-glass';
import { maskedFields } from '../../access/fields';
import { personAccess } from '../../access/person-access';
import { POLICIES } from '../../access/policy';
import { isRole, ROLE_NAMES, ROLES } from '../../access/roles';
import { generatePassword, hashPassword } from '../../auth/passwords';
import { totpRequiredFor } from '../../auth/totp';
import { errorResponses, HttpProblem } from '../../problem';
import { adminPartnerRoutes } from './partners';

const scopeType = z.enum(['organisation', 'service', 'local_authority', 'partner']);
const userSummary = z.object({
  id: z.number().int(),
  username: z.string(),
  display_name: z.string(),
  role: z.string(),
  role_label: z.string(),
  scope_type: scopeType,
  scope_id: z.string().nullable(),
  active: z.boolean(),
  demo: z.boolean(),
  locked: z.boolean(),
  totp_enabled: z.boolean(),
  totp_required: z.boolean(),
  sso: z.boolean(),
  masked_fields: z.array(z.string()).describe('Sensitive fields this user sees masked'),
  created_at: z.string(),
  last_sign_in_at: z.string().nullable(),
});

const idParams = z.object({ id: z.coerce.number().int().positive().max(2 ** 53) });
const username = z
  .string()
  .trim()
  .min(2, 'at least 2 characters')
  .max(100)
  .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only');
const displayName = z.string().trim().min(1, 'enter a name').max(200).refine((s) => !/[<>]/.test(s), 'no < or > characters');
const scopeId = z.string().trim().min(1).max(200).nullable();
const role = z.string().refine(isRole, 'not a Beacon role');

function summarise(u: Awaited<ReturnType<typeof listUsers>>[number]): z.infer<typeof userSummary> {
  const r = isRole(u.role) ? u.role : null;
  return {
    ...u,
    role_label: r ? ROLES[r] : u.role,
    totp_required: totpRequiredFor(u.role, u.totp_required),
    masked_fields: r ? maskedFields({ userId: u.id, username: u.username, displayName: u.display_name, role: r, scope: { type: u.scope_type, id: u.scope_id }, via: 'session' }) : [],
  };
}

/** A scope must name something that exists: a service, an area with services, or (for partners) an organisation name. */
async function checkScope(db: Queryable, type: z.infer<typeof scopeType>, id: string | null): Promise<void> {
  const bad = (message: string) => new HttpProblem(400, 'The scope is not valid', [{ field: 'scopeId', message }]);
  if (type === 'service') {
    if (!id) throw bad('Choose a service');
    if ((await db.query('SELECT 1 FROM services WHERE service_id = $1', [id])).length === 0) throw bad(`There is no service ${id}`);
  } else if (type === 'local_authority') {
    if (!id) throw bad('Choose a local authority');
    if (!/^[EWSN]\d{8}$/.test(id)) throw bad('A local authority is an ONS code like E08000035');
  } else if (type === 'partner') {
    if (!id) throw bad('Name the partner organisation');
  }
}

/** At least one active administrator must remain, or nobody could manage Beacon. */
async function keepsAnAdministrator(db: Queryable, userId: number, next: { role?: string | undefined; active?: boolean | undefined }): Promise<boolean> {
  const user = await findUserById(db, userId);
  if (!user || user.role !== 'administrator' || !user.active) return true;
  if ((next.role === undefined || next.role === 'administrator') && next.active !== false) return true;
  const others = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'administrator' AND active AND id <> $1`, [userId]);
  return (others[0]?.n ?? 0) > 0;
}

const auditQuery = z.object({
  user: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  resourceType: z.string().trim().max(100).optional(),
  resourceId: z.string().trim().max(200).optional(),
  outcome: z.enum(['allowed', 'denied', 'failed']).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
const PAGE_SIZE = 50;
const CSV_MAX = 100_000;

const auditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  username: z.string().nullable(),
  role: z.string().nullable(),
  action: z.string(),
  resource_type: z.string().nullable(),
  resource_id: z.string().nullable(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: z.string(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

const grantSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  role: z.string(),
  person_id: z.string(),
  service_id: z.string(),
  reason: z.string(),
  granted_at: z.string(),
  expires_at: z.string(),
  review_status: z.enum(['pending', 'appropriate', 'inappropriate']),
  reviewed_by: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  review_note: z.string().nullable(),
});
const grantOut = (g: z.infer<typeof grantSchema> & { user_id?: number }) => {
  const { user_id: _omit, ...rest } = g;
  void _omit;
  return rest;
};

const personParams = z.object({ personId: z.string().min(1).max(200) });
const reason = z
  .string()
  .trim()
  .min(10, 'Give the reason in at least 10 characters')
  .max(2000, 'Keep the reason under 2,000 characters');

/** The admin API (see src/server/access/policies/admin.ts for who may do what). */
export async function adminRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  await fastify.register(adminPartnerRoutes);

  // ---------------------------------------------------------------- users
  app.get(
    '/api/admin/users',
    {
      config: { policy: 'admin.users.read' },
      schema: {
        summary: 'User accounts with their roles, scopes and sign-in state; the roles and scopes to choose from',
        tags: ['admin'],
        response: {
          200: z.object({
            users: z.array(userSummary),
            roles: z.array(z.object({ role: z.string(), label: z.string(), totp_required: z.boolean() })),
            services: z.array(z.object({ service_id: z.string(), name: z.string(), local_authority: z.string().nullable() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      req.ctx.run('admin.users.read', { type: 'users' }, async (db) => ({
        users: (await listUsers(db)).map(summarise),
        roles: ROLE_NAMES.map((r) => ({ role: r, label: ROLES[r], totp_required: totpRequiredFor(r, false) })),
        services: await db.query<{ service_id: string; name: string; local_authority: string | null }>('SELECT service_id, name, local_authority FROM services ORDER BY name'),
      })),
  );

  app.post(
    '/api/admin/users',
    {
      config: { policy: 'admin.users.write' },
      schema: {
        summary: 'Create a user. A local account gets a one-time password (shown once); a single-sign-on account has none.',
        tags: ['admin'],
        body: z.object({
          username,
          displayName,
          role,
          scopeType,
          scopeId: scopeId.default(null),
          sso: z.boolean().default(false),
          totpRequired: z.boolean().default(false),
        }),
        response: { 201: z.object({ user: userSummary, password: z.string().nullable() }), 409: errorResponses[400], ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const password = b.sso ? null : generatePassword();
      const result = await req.ctx.run(
        'admin.users.write',
        { type: 'user' },
        (db) =>
          db.transaction(async (tx) => {
            await checkScope(tx, b.scopeType, b.scopeId);
            const id = await createUser(tx, {
              username: b.username,
              displayName: b.displayName,
              passwordHash: password ? await hashPassword(password) : null,
              role: b.role,
              scopeType: b.scopeType,
              scopeId: b.scopeType === 'organisation' ? b.scopeId : b.scopeId,
              totpRequired: b.totpRequired,
            });
            if (id === null) throw new HttpProblem(409, `There is already a user called ${b.username}`);
            return getUserSummary(tx, id);
          }),
        { change: 'create_user', role: b.role, scopeType: b.scopeType, scopeId: b.scopeId },
      );
      if (!result) throw new HttpProblem(500, 'The user was not created');
      return reply.code(201).send({ user: summarise(result), password });
    },
  );

  app.patch(
    '/api/admin/users/:id',
    {
      config: { policy: 'admin.users.write' },
      schema: {
        summary: 'Change a user: name, role, scope, second-factor requirement, or disable/enable',
        tags: ['admin'],
        params: idParams,
        body: z
          .object({
            displayName: displayName.optional(),
            role: role.optional(),
            scopeType: scopeType.optional(),
            scopeId: scopeId.optional(),
            active: z.boolean().optional(),
            totpRequired: z.boolean().optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'Nothing to change'),
        response: { 200: z.object({ user: userSummary }), ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const me = req.ctx.principal?.userId ?? null;
      const user = await req.ctx.run(
        'admin.users.write',
        { type: 'user', id: req.params.id },
        (db) =>
          db.transaction(async (tx) => {
            const current: UserRow | null = await findUserById(tx, req.params.id);
            if (!current) throw new HttpProblem(404, 'No such user');
            if (me === current.id && (b.active === false || (b.role !== undefined && b.role !== current.role))) {
              throw new HttpProblem(400, 'You cannot disable your own account or change your own role');
            }
            if (!(await keepsAnAdministrator(tx, current.id, b))) throw new HttpProblem(400, 'Beacon needs at least one active administrator');
            if (b.scopeType !== undefined || b.scopeId !== undefined) {
              await checkScope(tx, b.scopeType ?? current.scope_type, b.scopeId !== undefined ? b.scopeId : current.scope_id);
            }
            await updateUser(tx, current.id, b);
            // A change of role, scope or second-factor rule applies from the next sign-in: end the user's sessions.
            if (b.role !== undefined || b.scopeType !== undefined || b.scopeId !== undefined || b.totpRequired === true) await deleteUserSessions(tx, current.id);
            return getUserSummary(tx, current.id);
          }),
        { change: 'update_user', fields: Object.keys(b), role: b.role ?? null, active: b.active ?? null },
      );
      if (!user) throw new HttpProblem(404, 'No such user');
      return { user: summarise(user) };
    },
  );

  app.post(
    '/api/admin/users/:id/reset-password',
    {
      config: { policy: 'admin.users.write' },
      schema: {
        summary: 'Give a user a new one-time password (shown once); ends their sessions and unlocks the account',
        tags: ['admin'],
        params: idParams,
        response: { 200: z.object({ password: z.string() }), ...errorResponses },
      },
    },
    async (req) => {
      const password = generatePassword();
      const hash = await hashPassword(password);
      const ok = await req.ctx.run('admin.users.write', { type: 'user', id: req.params.id }, (db) => setPasswordHash(db, req.params.id, hash), { change: 'reset_password' });
      if (!ok) throw new HttpProblem(404, 'No such user');
      return { password };
    },
  );

  app.post(
    '/api/admin/users/:id/reset-totp',
    {
      config: { policy: 'admin.users.write' },
      schema: {
        summary: 'Remove a user\'s second factor (lost device); they set it up again at their next sign-in if they need one',
        tags: ['admin'],
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await req.ctx.run(
        'admin.users.write',
        { type: 'user', id: req.params.id },
        async (db) => {
          const user = await findUserById(db, req.params.id);
          if (!user) throw new HttpProblem(404, 'No such user');
          await disableTotp(db, user.id);
          await deleteUserSessions(db, user.id);
        },
        { change: 'reset_totp' },
      );
      return reply.code(204).send(null);
    },
  );

  // ---------------------------------------------------------------- audit
  app.get(
    '/api/admin/audit',
    {
      config: { policy: 'admin.audit.read' },
      schema: {
        summary: 'Search the audit log: by user, action, resource (e.g. person and id), outcome and date range; newest first, 50 a page',
        tags: ['admin'],
        querystring: auditQuery,
        response: {
          200: z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), rows: z.array(auditRow), actions: z.array(z.string()) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { page, user, ...rest } = req.query;
      const filters = { ...rest, username: user };
      const result = await req.ctx.run('admin.audit.read', { type: 'audit_log' }, (db) => searchAudit(db, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE), { filters });
      return { ...result, page, pageSize: PAGE_SIZE, actions: [...Object.keys(POLICIES), 'break_glass.use'].sort() };
    },
  );

  app.get(
    '/api/admin/audit.csv',
    {
      config: { policy: 'admin.audit.export' },
      schema: { summary: 'The audit-log search as CSV (up to 100,000 records)', tags: ['admin'], querystring: auditQuery.omit({ page: true }), produces: ['text/csv'] },
    },
    async (req, reply) => {
      const { user, ...rest } = req.query;
      const filters = { ...rest, username: user };
      const { rows } = await req.ctx.run('admin.audit.export', { type: 'audit_log' }, (db) => searchAudit(db, filters, CSV_MAX, 0), { filters });
      const csv = Papa.unparse(
        rows.map((r) => ({ ...r, detail: r.detail ? JSON.stringify(r.detail) : '' })),
        { columns: ['seq', 'at', 'username', 'role', 'action', 'resource_type', 'resource_id', 'reason', 'ip', 'outcome', 'detail'], escapeFormulae: true },
      );
      const day = new Date().toISOString().slice(0, 10);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="beacon-audit-${day}.csv"`).send(csv);
    },
  );

  app.get(
    '/api/admin/audit/verify',
    {
      config: { policy: 'admin.audit.verify' },
      schema: {
        summary: 'Verify the audit log\'s hash chain: every record\'s hash, its link to the one before, and no gaps',
        tags: ['admin'],
        response: {
          200: z.object({ ok: z.boolean(), rows: z.number().int(), lastSeq: z.number().int().nullable(), problems: z.array(z.object({ seq: z.number().int(), problem: z.string() })) }),
          ...errorResponses,
        },
      },
    },
    async (req) => req.ctx.run('admin.audit.verify', { type: 'audit_log' }, (db) => verifyAuditChain(db)),
  );

  // ---------------------------------------------------------------- break-the-glass
  app.get(
    '/api/break-glass/:personId',
    {
      config: { policy: 'break_glass.request' },
      schema: {
        summary: 'Whether you can open this person\'s record, and whether emergency access is available (404 when there is no such person)',
        tags: ['break-glass'],
        params: personParams,
        response: {
          200: z.object({ person_id: z.string(), access: z.enum(['scope', 'break_glass', 'none']), breakGlassAvailable: z.boolean(), expiresAt: z.string().nullable(), minutes: z.number().int() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const personId = req.params.personId;
      return req.ctx.run('break_glass.request', { type: 'person', id: personId }, async (db) => {
        const a = await personAccess(req.ctx, db, personId, null);
        if (!a.allowed && !a.exists) throw new HttpProblem(404, 'No such person');
        const p = req.ctx.principal;
        const grant = a.allowed && a.via === 'break_glass' && p?.userId ? await activeGrant(db, p.userId, personId) : null;
        return {
          person_id: personId,
          access: a.allowed ? a.via : ('none' as const),
          breakGlassAvailable: !a.allowed && a.breakGlassAvailable,
          expiresAt: grant?.expires_at ?? null,
          minutes: 60,
        };
      }, { step: 'check' });
    },
  );

  app.post(
    '/api/break-glass/:personId',
    {
      config: { policy: 'break_glass.request' },
      schema: {
        summary: 'Open a person\'s record in an emergency, giving the reason: a 60-minute grant, audited and flagged for the Caldicott guardian\'s review',
        tags: ['break-glass'],
        params: personParams,
        body: z.object({ reason }),
        response: { 201: grantSchema, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (req, reply) => {
      const personId = req.params.personId;
      const p = req.ctx.principal;
      req.ctx.meta.reason = req.body.reason;
      const grant = await req.ctx.run(
        'break_glass.request',
        { type: 'person', id: personId },
        // No transaction: personAccess reads through the context's own connection too.
        async (tx) => {
          const a = await personAccess(req.ctx, tx, personId, null);
          if (!a.allowed && !a.exists) throw new HttpProblem(404, 'No such person');
          if (a.allowed && a.via === 'scope') throw new HttpProblem(409, 'This record is already in your scope: open it directly');
          if (a.allowed) {
            const existing = p?.userId ? await activeGrant(tx, p.userId, personId) : null;
            if (existing) return existing;
          }
          if (!p || p.userId === null) throw new HttpProblem(403, 'Emergency access needs a personal account');
          const serviceId = (await tx.query<{ service_id: string }>('SELECT service_id FROM people WHERE person_id = $1', [personId]))[0]?.service_id;
          if (!serviceId) throw new HttpProblem(404, 'No such person');
          return createGrant(tx, { userId: p.userId, username: p.username, role: p.role, personId, serviceId, reason: req.body.reason });
        },
        { step: 'open', flagged: true },
      );
      return reply.code(201).send(grantOut(grant));
    },
  );

  app.get(
    '/api/admin/break-glass',
    {
      config: { policy: 'break_glass.review' },
      schema: {
        summary: 'Emergency (break-the-glass) accesses for review: pending first',
        tags: ['break-glass'],
        querystring: z.object({ status: z.enum(['pending', 'reviewed', 'all']).default('pending') }),
        response: { 200: z.object({ grants: z.array(grantSchema), pending: z.number().int() }), ...errorResponses },
      },
    },
    async (req) =>
      req.ctx.run('break_glass.review', { type: 'break_glass' }, async (db) => {
        const grants = await listGrants(db, req.query.status);
        const pending = req.query.status === 'pending' ? grants.length : (await listGrants(db, 'pending', 10_000)).length;
        return { grants: grants.map(grantOut), pending };
      }),
  );

  app.post(
    '/api/admin/break-glass/:id/review',
    {
      config: { policy: 'break_glass.review' },
      schema: {
        summary: 'Record the Caldicott guardian\'s outcome of an emergency access (once)',
        tags: ['break-glass'],
        params: idParams,
        body: z.object({ outcome: z.enum(REVIEW_OUTCOMES), note: z.string().trim().max(2000).optional() }),
        response: { 200: grantSchema, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (req) => {
      const p = req.ctx.principal;
      const { outcome, note } = req.body;
      if (outcome === 'inappropriate' && !note) {
        throw new HttpProblem(400, 'Say why the access was inappropriate', [{ field: 'note', message: 'Record what was wrong and what will be done' }]);
      }
      const result = await req.ctx.run(
        'break_glass.review',
        { type: 'break_glass', id: req.params.id },
        (db) => reviewGrant(db, req.params.id, outcome, p?.username ?? 'unknown', note ?? null),
        { outcome },
      );
      if (result === 'missing') throw new HttpProblem(404, 'No such emergency access');
      if (result === null) throw new HttpProblem(409, 'This emergency access has already been reviewed');
      return grantOut(result);
    },
  );
}
