import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../../data/db';
import { CareActionInvalid, createCareAction, openCareActions, updateCareAction } from '../../../data/person/actions';
import { CaptureInvalid, captureRecord, type Capture } from '../../../data/person/capture';
import { loadAdvisories, loadCaseload } from '../../../data/person/caseload';
import { loadPersonRecord, type PersonRecord } from '../../../data/person/record';
import { loadRiskConfig, loadRiskConfigState, resetRiskConfig, saveRiskConfig } from '../../../data/risk/config-store';
import { addDays, defaultRiskConfig, describeTierRules, type RiskConfigOverrides } from '../../../domain/risk';
import type { Action } from '../../access/policy';
import { maskIdentity, TOP_CRIMINAL_JUSTICE_ITEMS, withhold, type SensitiveField } from '../../access/fields';
import { personAccess, PersonRefused, type PersonAccess } from '../../access/person-access';
import type { AccessContext } from '../../access/context';
import { errorResponses, HttpProblem, problem } from '../../problem';
import { riskExportRoutes } from './risk-export';
import {
  actionParams,
  advisoriesQuery,
  advisoriesResponse,
  captureResponse,
  careAction,
  careActionBody,
  careActionPatch,
  caseloadResponse,
  dateQuery,
  drugTestBody,
  naloxoneBody,
  openActionsResponse,
  personErrors,
  personParams,
  recordResponse,
  riskConfigOverrides,
  riskConfigResponse,
  riskEventBody,
  scopeQuery,
} from './schemas';
import { todayUtc } from '../../../clock';

/**
 * Runs person work under the action, after the one access rule (personAccess). Outside
 * the caller's reach the answer is 404, or 403 with `breakGlassAvailable` when
 * break-the-glass could open it.
 */
const SENT = Symbol('sent');

async function onPerson<T>(
  ctx: AccessContext,
  reply: { code(status: number): { type(t: string): { send(body: unknown): unknown } } },
  action: Action,
  personId: string,
  work: (db: Db, access: Extract<PersonAccess, { allowed: true }>) => Promise<T>,
  detail?: Record<string, unknown>,
): Promise<T | typeof SENT> {
  try {
    return await ctx.run(
      action,
      { type: 'person', id: personId },
      async (db) => {
        const access = await personAccess(ctx, db, personId, action);
        if (!access.allowed) throw new PersonRefused(access);
        return work(db, access);
      },
      detail,
    );
  } catch (err) {
    if (!(err instanceof PersonRefused)) throw err;
    if (err.access.breakGlassAvailable) {
      await reply
        .code(403)
        .type('application/problem+json')
        .send({ ...problem(403, 'This person is not on your caseload', 'You can open the record with break-the-glass, giving a reason; it will be reviewed.'), breakGlassAvailable: true });
      return SENT;
    }
    throw new HttpProblem(404, 'No such person');
  }
}

const TOP_CJ = Object.fromEntries(TOP_CRIMINAL_JUSTICE_ITEMS.map((k) => [k, 'criminal_justice'])) as Partial<Record<(typeof TOP_CRIMINAL_JUSTICE_ITEMS)[number], SensitiveField>>;

function recordBody(r: PersonRecord, via: 'scope' | 'break_glass', ctx: AccessContext) {
  const m = r.mat;
  const newFlags = new Set(r.newFlags);
  const counted = new Set(r.profile.counted);
  return {
    date: r.date,
    via,
    person: maskIdentity(ctx.principal, r.person),
    mat: {
      in_mat: m.inMat,
      stage: m.stage,
      cohort: m.cohort,
      og_band: m.ogBand,
      regime: m.regime,
      medication: m.medication,
      dose_mg: m.doseMg,
      high_dose: m.highDose,
      supervised: m.supervised,
      pickup: m.pickup,
      continuous_start: m.continuousStart,
      days_since_start: m.daysSinceStart,
      reasons: m.reasons,
    },
    profile: {
      tier: r.profile.tier,
      rule: r.profile.rule,
      rules: [...r.tierRules],
      flags: r.profile.flags.map((f) => ({ ...f, counted: counted.has(f.code), new: newFlags.has(f.code) })),
      critical: r.profile.critical,
      counted: r.profile.counted,
      reasons: r.profile.reasons,
      actions: r.profile.actions.map((a) => ({ flag: a.flag, actions: a.actions.map((x) => ({ id: x.id, text: x.text, owner: x.owner, sources: [...x.sources] })) })),
    },
    new_flags: r.newFlags,
    care_actions: r.careActions,
    advisories: r.advisories,
    reviews: r.reviews,
    prescriptions: r.prescriptions as unknown as Record<string, unknown>[],
    markers: r.markers,
    // The offending items of each TOP only for the roles that need criminal-justice details.
    tops: r.tops.map((top) => withhold(ctx.principal, top, TOP_CJ)) as unknown as Record<string, unknown>[],
    drug_tests: r.drugTests,
    risk_events: r.riskEvents as unknown as Record<string, unknown>[],
    naloxone: r.naloxone as unknown as Record<string, unknown>[],
    sc_reviews: r.scReviews as unknown as Record<string, unknown>[],
    episodes: r.episodes as unknown as Record<string, unknown>[],
  };
}

/**
 * The services the caller may see (id, name) and the one to show: the one asked for, or,
 * when the caller's scope spans several services, the first of them (a whole national
 * caseload on one page would help nobody and cost a minute).
 */
async function serviceChoice(db: Db, ctx: AccessContext, asked: string | null): Promise<{ services: { service_id: string; name: string | null }[]; chosen: string | null; visible: string[] | null }> {
  const visible = await ctx.visibleServiceIds();
  const services = await db.query<{ service_id: string; name: string | null }>(
    'SELECT service_id, name FROM services WHERE $1::text[] IS NULL OR service_id = ANY($1::text[]) ORDER BY service_id',
    [visible],
  );
  if (asked !== null) return { services, chosen: asked, visible };
  return { services, chosen: services.length === 1 ? null : (services[0]?.service_id ?? null), visible };
}

function username(ctx: AccessContext): string {
  return ctx.principal?.username ?? 'unknown';
}

const CAPTURE_ROUTES = [
  { path: 'risk-events', kind: 'risk_event', body: riskEventBody, summary: 'Capture a risk event (non-fatal overdose, release, discharge, …) on the record' },
  { path: 'naloxone', kind: 'naloxone', body: naloxoneBody, summary: 'Capture a take-home naloxone supply on the record' },
  { path: 'drug-tests', kind: 'drug_test', body: drugTestBody, summary: 'Capture a drug-test result (one row per substance) on the record' },
] as const;

/** The person API (see src/server/access/policies/person.ts for who may do what). */
export async function personRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  await fastify.register(riskExportRoutes);

  app.get(
    '/api/people/:personId',
    {
      config: { policy: 'person.record' },
      schema: {
        summary: 'One person’s care record: identity as the role allows, MAT stage and cohort with reasons, prescriptions with events, TOPs, episodes, risk profile with evidence and actions, care plan, dose advisories',
        tags: ['person'],
        params: personParams,
        querystring: dateQuery,
        response: { 200: recordResponse, ...personErrors },
      },
    },
    async (req, reply) => {
      const date = req.query.date ?? todayUtc();
      const out = await onPerson(req.ctx, reply, 'person.record', req.params.personId, async (db, access) => {
        const r = await loadPersonRecord(db, req.params.personId, { date, riskConfig: await loadRiskConfig(db) });
        if (r === null) throw new HttpProblem(404, 'No such person');
        return recordBody(r, access.via, req.ctx);
      }, { date });
      return out === SENT ? reply : out;
    },
  );

  app.post(
    '/api/people/:personId/actions',
    {
      config: { policy: 'person.actions.write' },
      schema: {
        summary: 'Record a care-plan action against a risk flag (planned, done, or declined with a reason; due date; owner)',
        tags: ['person'],
        params: personParams,
        body: careActionBody,
        response: { 201: careAction, ...personErrors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const created = await onPerson(req.ctx, reply, 'person.actions.write', req.params.personId, async (db) => {
        try {
          return await createCareAction(
            db,
            req.params.personId,
            { flag: b.flag, actionId: b.action_id, text: b.text, status: b.status, declinedReason: b.declined_reason, dueDate: b.due_date, owner: b.owner, note: b.note },
            username(req.ctx),
          );
        } catch (err) {
          if (err instanceof CareActionInvalid) throw new HttpProblem(400, 'The action is not valid', err.problems.map((p) => ({ field: snake(p.field), message: p.message })));
          throw err;
        }
      }, { flag: b.flag, status: b.status });
      return created === SENT ? reply : reply.code(201).send(created);
    },
  );

  app.patch(
    '/api/people/:personId/actions/:id',
    {
      config: { policy: 'person.actions.write' },
      schema: {
        summary: 'Change a care-plan action: mark it done, or declined with a reason; change its due date, owner or note',
        tags: ['person'],
        params: actionParams,
        body: careActionPatch,
        response: { 200: careAction, ...personErrors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const out = await onPerson(req.ctx, reply, 'person.actions.write', req.params.personId, async (db) => {
        try {
          const row = await updateCareAction(
            db,
            req.params.personId,
            req.params.id,
            { text: b.text, status: b.status, declinedReason: b.declined_reason, dueDate: b.due_date, owner: b.owner, note: b.note },
            username(req.ctx),
          );
          if (row === null) throw new HttpProblem(404, 'No such action for this person');
          return row;
        } catch (err) {
          if (err instanceof CareActionInvalid) throw new HttpProblem(400, 'The action is not valid', err.problems.map((p) => ({ field: snake(p.field), message: p.message })));
          throw err;
        }
      }, { action: req.params.id, status: b.status ?? null });
      return out === SENT ? reply : out;
    },
  );

  for (const route of CAPTURE_ROUTES) {
    app.post(
      `/api/people/:personId/${route.path}`,
      {
        config: { policy: 'person.capture' },
        schema: { summary: route.summary, tags: ['person'], params: personParams, body: route.body, response: { 201: captureResponse, ...personErrors } },
      },
      async (req, reply) => {
        const day = todayUtc();
        const capture = { kind: route.kind, ...(req.body as object) } as Capture;
        const out = await onPerson(req.ctx, reply, 'person.capture', req.params.personId, async (db) => {
          let stored: Awaited<ReturnType<typeof captureRecord>>;
          try {
            stored = await captureRecord(db, req.params.personId, capture, { username: username(req.ctx), userId: req.ctx.principal?.userId ?? null }, day);
          } catch (err) {
            if (err instanceof CaptureInvalid) throw new HttpProblem(400, 'The record is not valid', err.problems);
            throw err;
          }
          const r = await loadPersonRecord(db, req.params.personId, { date: day, riskConfig: await loadRiskConfig(db) });
          return { table: stored.table, record_id: stored.recordId, tier: r?.profile.tier ?? 'low', flags: r?.profile.flags.map((f) => f.code) ?? [] };
        }, { kind: route.kind });
        return out === SENT ? reply : reply.code(201).send(out);
      },
    );
  }

  app.get(
    '/api/caseload',
    {
      config: { policy: 'person.caseload' },
      schema: {
        summary: 'Caseload: the people of the caller’s services in MAT or in an episode, sorted by risk tier, with flags new since last week, overdue TOPs and tests, naloxone and open actions',
        tags: ['person'],
        querystring: scopeQuery,
        response: { 200: caseloadResponse, ...errorResponses },
      },
    },
    async (req) => {
      const date = req.query.date ?? todayUtc();
      const serviceId = req.query.service ?? null;
      return req.ctx.run('person.caseload', { type: 'caseload', id: serviceId }, async (db) => {
        const choice = await serviceChoice(db, req.ctx, serviceId);
        const caseload = await loadCaseload(db, { date, serviceIds: choice.visible, serviceId: choice.chosen, riskConfig: await loadRiskConfig(db) });
        return { ...caseload, services: choice.services };
      }, { date });
    },
  );

  app.get(
    '/api/care-actions/open',
    {
      config: { policy: 'person.open_actions' },
      schema: {
        summary: 'Open (planned) care-plan actions of the people in the caller’s services, most overdue first, for worklists',
        tags: ['person'],
        querystring: scopeQuery,
        response: { 200: openActionsResponse, ...errorResponses },
      },
    },
    async (req) => {
      const date = req.query.date ?? todayUtc();
      return req.ctx.run('person.open_actions', { type: 'care_actions', id: req.query.service ?? null }, async (db) => ({
        date,
        actions: await openCareActions(db, { serviceIds: await req.ctx.visibleServiceIds(), serviceId: req.query.service ?? null, asOf: date }),
      }));
    },
  );

  app.get(
    '/api/advisories',
    {
      config: { policy: 'person.advisories' },
      schema: {
        summary: 'Dose safety advisories (domain §1.1) for the people of the caller’s services: dated in the last `days` (default 90) or on a prescription still in force',
        tags: ['person'],
        querystring: advisoriesQuery,
        response: { 200: advisoriesResponse, ...errorResponses },
      },
    },
    async (req) => {
      const date = req.query.date ?? todayUtc();
      const days = req.query.days ?? 90;
      return req.ctx.run('person.advisories', { type: 'advisories', id: req.query.service ?? null }, async (db) => {
        const choice = await serviceChoice(db, req.ctx, req.query.service ?? null);
        return {
          date,
          since: addDays(date, -days),
          service_id: choice.chosen,
          services: choice.services,
          advisories: await loadAdvisories(db, { date, sinceDays: days, serviceIds: choice.visible, serviceId: choice.chosen, riskConfig: await loadRiskConfig(db) }),
        };
      });
    },
  );

  const configBody = async (db: Db) => {
    const s = await loadRiskConfigState(db);
    return {
      config: s.config as unknown as Record<string, unknown>,
      overrides: s.overrides as unknown as Record<string, unknown>,
      defaults: defaultRiskConfig as unknown as Record<string, unknown>,
      rules: [...describeTierRules(s.config)],
      problems: s.problems,
      updated_at: s.updatedAt,
      updated_by: s.updatedBy,
    };
  };

  app.get(
    '/api/risk/config',
    {
      config: { policy: 'risk.config.read' },
      schema: { summary: 'The overdose-risk windows, thresholds and tier rules in force, the administrator’s overrides and the defaults', tags: ['risk'], response: { 200: riskConfigResponse, ...errorResponses } },
    },
    async (req) => req.ctx.run('risk.config.read', { type: 'risk_config' }, configBody),
  );

  app.put(
    '/api/risk/config',
    {
      config: { policy: 'risk.config.write' },
      schema: {
        summary: 'Replace the overdose-risk overrides (an empty object restores the defaults); audited, in force at once everywhere',
        tags: ['risk'],
        body: riskConfigOverrides,
        response: { 200: riskConfigResponse, ...errorResponses },
      },
    },
    async (req) => {
      const overrides = req.body as RiskConfigOverrides;
      return req.ctx.run(
        'risk.config.write',
        { type: 'risk_config' },
        async (db) => {
          if (Object.keys(overrides).length === 0) await resetRiskConfig(db);
          else {
            const problems = await saveRiskConfig(db, overrides, username(req.ctx));
            if (problems.length > 0) throw new HttpProblem(400, 'The configuration is not valid', problems.map((message) => ({ field: 'config', message })));
          }
          return configBody(db);
        },
        { overrides },
      );
    },
  );
}

/** camelCase field names of the domain → the API's snake_case. */
function snake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
