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
  caseList,
  caseListWorkbook,
  createPartnerToken,
  CsvImportError,
  dataFlowGaps,
  importPartnerCsv,
  listPartnerTokens,
  listReports,
  revokePartnerToken,
  type ReportScope,
  type RevisionInput,
} from '../../../data/ldis';
import type { GradingAnswers, ReportStatus } from '../../../domain/ldis/workflow';
import type { AccessContext } from '../../access/context';
import type { Principal } from '../../access/roles';
import { canSeeField, maskPostcode } from '../../access/fields';
import { errorResponses, HttpProblem, problem, problemSchema } from '../../problem';
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
  caseListQuery,
  caseListResponse,
  gapsQuery,
  gapsResponse,
  importBody,
  importProblem,
  importResponse,
  listQuery,
  listResponse,
  tokenBody,
  tokenCreated,
  tokenList,
  tokenParams,
  tokenRecord,
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

/**
 * A response as this principal may see it: full postcodes only for the roles that need them
 * (src/server/access/fields.ts), the district for the rest (panel members, administrators,
 * partner submitters). Every `postcode` in the response is cut, wherever it sits: a report,
 * a candidate duplicate, a case's fields, or a revision's before and after.
 */
function postcodesFor<T>(principal: Principal | null, value: T): T {
  if (canSeeField(principal, 'postcode')) return value;
  return districtsOnly(value) as T;
}

function districtsOnly(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(districtsOnly);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'postcode' ? cutPostcode(x) : districtsOnly(x);
  return out;
}

/** A postcode value, or a revision's { from, to } of one, cut to the district. */
function cutPostcode(x: unknown): unknown {
  if (typeof x === 'string') return x === '' ? x : maskPostcode(x);
  if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, y] of Object.entries(x)) out[k] = typeof y === 'string' && y !== '' ? maskPostcode(y) : y;
    return out;
  }
  return x;
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
      const inbox = await req.ctx.run('ldis.inbox', { type: 'ldis_inbox' }, (db) =>
        listInbox(db, { scope, ...(statuses ? { statuses } : {}), ...(req.query.limit ? { limit: req.query.limit } : {}) }),
      );
      return postcodesFor(req.ctx.principal, inbox);
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
      return postcodesFor(req.ctx.principal, r);
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

  app.get(
    '/api/ldis/reports',
    {
      config: { policy: 'ldis.list' },
      schema: {
        summary: 'Submitted reports, newest first (partner submitters: their own organisation’s only)',
        tags: ['ldis'],
        querystring: listQuery,
        response: { 200: listResponse, ...errorResponses },
      },
    },
    async (req) => {
      const scope = reportScopeOf(req.ctx.principal);
      const reports = await req.ctx.run('ldis.list', { type: 'ldis_reports' }, (db) => listReports(db, { scope, ...(req.query.limit ? { limit: req.query.limit } : {}) }));
      return { reports: postcodesFor(req.ctx.principal, reports) };
    },
  );

  app.post(
    '/api/ldis/import',
    {
      config: { policy: 'ldis.import' },
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        summary: 'Import partner reports from a file in the incidents.csv format: all or nothing, every problem listed (file, line, column, value, expected); idempotent on report_id',
        tags: ['ldis'],
        body: importBody,
        response: { 201: importResponse, 400: importProblem, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (req, reply) => {
      const p = principalOf(req.ctx);
      const isPartner = p.role === 'partner_submitter' || p.scope.type === 'partner';
      if (isPartner && !(p.scope.type === 'partner' && p.scope.id)) throw new HttpProblem(403, 'Your account is not linked to a partner organisation.');
      const partner = isPartner ? (p.scope.id as string) : (req.body.partner ?? '');
      if (!isPartner && !/^[a-z0-9][a-z0-9_.:-]{0,99}$/.test(partner)) {
        throw new HttpProblem(400, 'Say which partner organisation the file comes from', [{ field: 'partner', message: 'lower-case letters, digits and . _ : - only (for example west-midlands-police)' }]);
      }
      try {
        const r = await req.ctx.run(
          'ldis.import',
          { type: 'ldis_import', id: `${partner}/${req.body.file_name}` },
          (db) => importPartnerCsv(db, { partner, fileName: req.body.file_name, text: req.body.csv, importedBy: p.username }),
        );
        reply.code(201);
        return r;
      } catch (err) {
        if (err instanceof CsvImportError) {
          reply.code(400).type('application/problem+json');
          return { ...problem(400, err.message, undefined, err.errors), problems: err.problems.slice(0, 1000) };
        }
        return asProblem(err);
      }
    },
  );

  app.get(
    '/api/ldis/tokens',
    {
      config: { policy: 'ldis.tokens' },
      schema: { summary: 'Partner organisations’ API tokens (hashes are never shown)', tags: ['ldis'], response: { 200: tokenList, ...errorResponses } },
    },
    async (req) => ({ tokens: await req.ctx.run('ldis.tokens', { type: 'ldis_tokens' }, (db) => listPartnerTokens(db)) }),
  );

  app.post(
    '/api/ldis/tokens',
    {
      config: { policy: 'ldis.tokens' },
      schema: {
        summary: 'Create an API token for a partner organisation; the token is in this response only (send it as Authorization: Bearer <token>)',
        tags: ['ldis'],
        body: tokenBody,
        response: { 201: tokenCreated, ...errorResponses },
      },
    },
    async (req, reply) => {
      const p = principalOf(req.ctx);
      const r = await req.ctx.run('ldis.tokens', { type: 'ldis_token', id: req.body.partner }, (db) =>
        createPartnerToken(db, { partner: req.body.partner, label: req.body.label, createdBy: p.username }).catch(asProblem),
        { created: true },
      );
      reply.code(201).header('cache-control', 'no-store');
      return r;
    },
  );

  app.delete(
    '/api/ldis/tokens/:id',
    {
      config: { policy: 'ldis.tokens' },
      schema: { summary: 'Revoke a partner API token (it stops working at once; the record is kept)', tags: ['ldis'], params: tokenParams, response: { 200: tokenRecord, ...withConflict } },
    },
    async (req) => {
      const p = principalOf(req.ctx);
      return req.ctx.run('ldis.tokens', { type: 'ldis_token', id: req.params.id }, (db) => revokePartnerToken(db, { id: req.params.id, revokedBy: p.username }).catch(asProblem), {
        revoked: true,
      });
    },
  );

  const caseListRange = (q: { from?: string | undefined; to?: string | undefined }) => {
    const today = new Date().toISOString().slice(0, 10);
    const to = q.to ?? today;
    const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 90 * 86_400_000).toISOString().slice(0, 10);
    if (Number.isNaN(Date.parse(`${from}T00:00:00Z`)) || Number.isNaN(Date.parse(`${to}T00:00:00Z`))) throw new HttpProblem(400, 'Not a real date', [{ field: 'from', message: 'a real date as YYYY-MM-DD' }]);
    if (from > to) throw new HttpProblem(400, 'from must not be after to', [{ field: 'from', message: 'must not be after to' }]);
    return { from, to };
  };

  app.get(
    '/api/ldis/cases',
    {
      config: { policy: 'ldis.caselist' },
      schema: {
        summary: 'The incident case list: one row per linked case meeting the case definition, in the Op Mabble columns, with cases by area and week (drills excluded unless asked for)',
        tags: ['ldis'],
        querystring: caseListQuery,
        response: { 200: caseListResponse, ...errorResponses },
      },
    },
    async (req) => {
      const range = caseListRange(req.query);
      const scope = reportScopeOf(req.ctx.principal);
      return req.ctx.run('ldis.caselist', { type: 'ldis_case_list' }, async (db) => postcodesFor(req.ctx.principal, await caseList(db, { scope, ...range, includeExercise: req.query.exercise === 'include' })), range);
    },
  );

  app.get(
    '/api/ldis/cases.xlsx',
    {
      config: { policy: 'ldis.caselist' },
      schema: {
        summary: 'The incident case list as an XLSX workbook for the multi-agency cell (Case list, By area and week, About)',
        tags: ['ldis'],
        querystring: caseListQuery,
      },
    },
    async (req, reply) => {
      const range = caseListRange(req.query);
      const scope = reportScopeOf(req.ctx.principal);
      const now = new Date().toISOString();
      const buffer = await req.ctx.run(
        'ldis.caselist',
        { type: 'ldis_case_list', id: 'xlsx' },
        async (db) => caseListWorkbook(postcodesFor(req.ctx.principal, await caseList(db, { scope, ...range, includeExercise: req.query.exercise === 'include' })), now),
        { ...range, export: 'xlsx' },
      );
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="ldis-case-list-${range.from}-to-${range.to}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(buffer);
    },
  );

  app.get(
    '/api/ldis/gaps',
    {
      config: { policy: 'ldis.gaps' },
      schema: {
        summary: 'Data-flow gaps: for each partner, source and Appendix 2 data item, the last report and the number in the period',
        tags: ['ldis'],
        querystring: gapsQuery,
        response: { 200: gapsResponse, ...errorResponses },
      },
    },
    async (req) => {
      const scope = reportScopeOf(req.ctx.principal);
      return req.ctx.run('ldis.gaps', { type: 'ldis_gaps' }, (db) => dataFlowGaps(db, { scope, days: req.query.days ?? 28 }));
    },
  );
}
