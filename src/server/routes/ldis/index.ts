import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  LdisError,
  getReport,
  listInbox,
  mergeReports,
  recordAssessment,
  recordDecision,
  reviseReport,
  splitReports,
  submitReport,
  undoLinkageOp,
  type ReportScope,
  type RevisionInput,
} from '../../../data/ldis';
import type { GradingAnswers, ReportStatus } from '../../../domain/ldis/workflow';
import type { AccessContext } from '../../access/context';
import type { Principal } from '../../access/roles';
import { errorResponses, HttpProblem, problemSchema } from '../../problem';
import {
  assessmentBody,
  assessmentResponse,
  inboxQuery,
  inboxResponse,
  linkBody,
  linkParams,
  linkResponse,
  reportParams,
  reportResponse,
  revisionBody,
  revisionResponse,
  submitBody,
  submitResponse,
  unlinkQuery,
} from './schemas';

const withConflict = { ...errorResponses, 409: problemSchema } as const;

/**
 * Which reports the principal may see: a partner submitter only their organisation's
 * submissions; an area-scoped role its local authority; organisation-wide roles all.
 */
export function reportScopeOf(p: Principal | null): ReportScope {
  if (!p) return { localAuthorities: [] };
  if (p.role === 'partner_submitter' || p.scope.type === 'partner') return { partner: p.scope.type === 'partner' && p.scope.id ? p.scope.id : '\u0000no-partner' };
  switch (p.scope.type) {
    case 'local_authority':
      return { localAuthorities: p.scope.id ? [p.scope.id] : [] };
    case 'organisation':
      return {};
    default:
      return { localAuthorities: [] };
  }
}

function principalOf(ctx: AccessContext): Principal {
  const p = ctx.principal;
  if (!p) throw new HttpProblem(401, 'Sign in to continue.');
  return p;
}

/** LdisError → problem (400 invalid, 404 not found, 409 conflict); anything else propagates. */
function asProblem(err: unknown): never {
  if (err instanceof LdisError) {
    const status = err.kind === 'invalid' ? 400 : err.kind === 'not_found' ? 404 : 409;
    throw new HttpProblem(status, err.message, err.errors);
  }
  throw err;
}

export async function ldisRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/ldis/reports',
    {
      config: { policy: 'ldis.submit' },
      schema: {
        summary: 'Submit a partner report (incidents.csv fields). Idempotent on the partner report id: 201 new, 200 replay, 409 the id was used for different content',
        tags: ['ldis'],
        body: submitBody,
        response: { 200: submitResponse, 201: submitResponse, ...withConflict },
      },
    },
    async (req, reply) => {
      const p = principalOf(req.ctx);
      const isPartner = p.role === 'partner_submitter' || p.scope.type === 'partner';
      if (isPartner && !(p.scope.type === 'partner' && p.scope.id)) throw new HttpProblem(403, 'Your account is not linked to a partner organisation.');
      // Coordinators file reports into their own namespace (per area, and per partner they
      // act for), so their ids can never collide with a partner system's own.
      const partner = isPartner
        ? (p.scope.id as string)
        : `ldis:${p.scope.id ?? 'organisation'}${req.body.on_behalf_of ? `:${req.body.on_behalf_of}` : ''}`;
      const r = await req.ctx.run(
        'ldis.submit',
        { type: 'ldis_submission', id: `${partner}/${req.body.partner_report_id}` },
        (db) => submitReport(db, { partner, submittedBy: p.username, submission: req.body }).catch(asProblem),
      );
      reply.code(r.created ? 201 : 200).header('location', `/api/ldis/reports/${encodeURIComponent(r.reportId)}`);
      return { report_id: r.reportId, partner: r.partner, partner_report_id: r.partnerReportId, received_at: r.receivedAt, created: r.created };
    },
  );

  app.get(
    '/api/ldis/inbox',
    {
      config: { policy: 'ldis.inbox' },
      schema: {
        summary: 'Reports waiting for the coordinator: case-definition level, candidate duplicates, SLA timers; exercise reports labelled and counted apart',
        tags: ['ldis'],
        querystring: inboxQuery,
        response: { 200: inboxResponse, ...errorResponses },
      },
    },
    async (req) => {
      const scope = reportScopeOf(req.ctx.principal);
      const statuses = req.query.status ? (req.query.status.split(',') as ReportStatus[]) : undefined;
      return req.ctx.run('ldis.inbox', { type: 'ldis_inbox' }, (db) =>
        listInbox(db, { scope, ...(statuses ? { statuses } : {}), ...(req.query.limit ? { limit: req.query.limit } : {}) }),
      );
    },
  );

  app.get(
    '/api/ldis/reports/:id',
    {
      config: { policy: 'ldis.read' },
      schema: {
        summary: 'One report with its level, SLA timers, case, candidate duplicates, workflow history and revisions (partner submitters: their own organisation’s reports only)',
        tags: ['ldis'],
        params: reportParams,
        response: { 200: reportResponse, ...errorResponses },
      },
    },
    async (req) => {
      const scope = reportScopeOf(req.ctx.principal);
      const r = await req.ctx.run('ldis.read', { type: 'ldis_report', id: req.params.id }, (db) => getReport(db, req.params.id, { scope }));
      if (!r) throw new HttpProblem(404, 'No such report');
      return r;
    },
  );

  app.post(
    '/api/ldis/reports/:id/assessment',
    {
      config: { policy: 'ldis.assess' },
      schema: {
        summary: 'Grade a report (the grading questions) and/or record the decision with its rationale',
        tags: ['ldis'],
        params: reportParams,
        body: assessmentBody,
        response: { 200: assessmentResponse, ...withConflict },
      },
    },
    async (req) => {
      const p = principalOf(req.ctx);
      const scope = reportScopeOf(p);
      const b = req.body;
      const decision = b.decision !== undefined ? { decision: b.decision, rationale: b.rationale ?? '' } : undefined;
      const r = await req.ctx.run(
        'ldis.assess',
        { type: 'ldis_report', id: req.params.id },
        (db) =>
          (b.answers
            ? recordAssessment(db, req.params.id, { scope, actor: p.username, answers: b.answers as GradingAnswers, ...(b.note ? { note: b.note } : {}), ...(decision ? { decision } : {}) })
            : recordDecision(db, req.params.id, { scope, actor: p.username, decision: decision?.decision ?? 'no_further_action', rationale: decision?.rationale ?? '' })
          ).catch(asProblem),
        { graded: b.answers !== undefined, decision: b.decision ?? null },
      );
      return {
        report_id: r.reportId,
        status: r.state.status,
        grading: r.state.grading ? { ...r.state.grading } : null,
        decision: r.state.decision,
        rationale: r.state.rationale,
        sla: r.sla,
        event_ids: r.eventIds,
      };
    },
  );

  app.post(
    '/api/ldis/reports/:id/revisions',
    {
      config: { policy: 'ldis.assess' },
      schema: {
        summary: 'Update a report with later findings (toxicology, coronial); every change is kept as a revision',
        tags: ['ldis'],
        params: reportParams,
        body: revisionBody,
        response: { 200: revisionResponse, ...errorResponses },
      },
    },
    async (req) => {
      const p = principalOf(req.ctx);
      const change: RevisionInput = {};
      if (req.body.fields) change.fields = req.body.fields as NonNullable<RevisionInput['fields']>;
      if (req.body.coronial) change.coronial = req.body.coronial;
      const revision = await req.ctx.run('ldis.assess', { type: 'ldis_report', id: req.params.id }, (db) =>
        reviseReport(db, req.params.id, { scope: reportScopeOf(p), actor: p.username, reason: req.body.reason, change }).catch(asProblem),
        { revision: true },
      );
      return { revision };
    },
  );

  app.post(
    '/api/ldis/links',
    {
      config: { policy: 'ldis.link' },
      schema: {
        summary: 'Merge reports into one case (or split them out); kept as an operation that can be undone',
        tags: ['ldis'],
        body: linkBody,
        response: { 201: linkResponse, ...withConflict },
      },
    },
    async (req, reply) => {
      const p = principalOf(req.ctx);
      const opts = { reportIds: req.body.report_ids, scope: reportScopeOf(p), actor: p.username, reason: req.body.reason ?? null };
      const r = await req.ctx.run(
        'ldis.link',
        { type: 'ldis_link', id: req.body.report_ids.join(',') },
        (db) => (req.body.type === 'split' ? splitReports(db, opts) : mergeReports(db, opts)).catch(asProblem),
        { type: req.body.type },
      );
      reply.code(201);
      return r;
    },
  );

  app.delete(
    '/api/ldis/links/:id',
    {
      config: { policy: 'ldis.link' },
      schema: {
        summary: 'Undo a merge or split (recorded as an undo operation; undoing an undo restores it)',
        tags: ['ldis'],
        params: linkParams,
        querystring: unlinkQuery,
        response: { 200: linkResponse, ...withConflict },
      },
    },
    async (req) => {
      const p = principalOf(req.ctx);
      return req.ctx.run(
        'ldis.link',
        { type: 'ldis_link', id: req.params.id },
        (db) => undoLinkageOp(db, { opId: req.params.id, scope: reportScopeOf(p), actor: p.username, reason: req.query.reason ?? null }).catch(asProblem),
        { undo: true },
      );
    },
  );
}
