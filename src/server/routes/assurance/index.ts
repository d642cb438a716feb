import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssuranceError,
  NeedsImportError,
  addAction,
  addComparator,
  addPartner,
  addPrevalence,
  auditPdf,
  auditXlsx,
  closeTrialRun,
  completeAudit,
  createAudit,
  createPlan,
  createTemplate,
  deleteComparator,
  deletePartner,
  deletePrevalence,
  getAudit,
  getPlan,
  getTemplate,
  getTrialRun,
  importNeedsCsv,
  listAudits,
  listPartners,
  listTemplates,
  needsReport,
  planPdf,
  recordTrialRun,
  repeatAudit,
  savePlan,
  startTrialRun,
  updateAction,
  updateComparator,
  updateItem,
  updatePartner,
  updatePrevalence,
} from '../../../data/assurance';
import { actionInputSchema, actionUpdateSchema, auditInputSchema, itemUpdateSchema, repeatInputSchema, templateInputSchema } from '../../../data/assurance/audits';
import { comparatorInputSchema, prevalenceInputSchema } from '../../../data/assurance/needs';
import { partnerInputSchema, planSaveSchema, trialRunInputSchema } from '../../../data/assurance/plan';
import { trialRunReportSchema } from '../../../domain/assurance';
import { errorResponses, HttpProblem, problem, problemSchema } from '../../problem';
import {
  auditDetail,
  auditSummary,
  idResponse,
  needsImportBody,
  needsImportProblem,
  needsImportResponse,
  needsReportSchema,
  partnerSchema,
  planView,
  templateSchema,
  templateSummary,
  trialRunDetail,
  trialRunSchema,
  versionResponse,
  withConflict,
} from './schemas';

/** Assurance errors become problems (400 invalid, 404 not found, 409 conflict); anything else is a 500. */
function asProblem(err: unknown): never {
  if (err instanceof AssuranceError) throw new HttpProblem(err.kind === 'invalid' ? 400 : err.kind === 'not_found' ? 404 : 409, err.message, err.errors);
  throw err;
}

const idParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 53) });
const itemParams = idParam.extend({ key: z.string().min(1).max(100) });
const actionParams = idParam.extend({ actionId: z.coerce.number().int().positive().max(2 ** 53) });
const templateParam = z.object({ id: z.string().min(1).max(100) });
const fileResponse = { 200: z.string().describe('The file (binary)'), ...errorResponses };
const empty = { 204: z.null().describe('Done'), ...withConflict };
const dateQuery = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() });

function username(req: { ctx: { principal: { username: string } | null } }): string {
  return req.ctx.principal?.username ?? 'unknown';
}

function send(reply: FastifyReply, type: string, filename: string, body: Buffer) {
  return reply.type(type).header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(body);
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'audit';

/** The assurance API (see src/server/access/policies/assurance.ts for who may do what). */
export async function assuranceRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['assurance'];

  // ---- templates ----
  app.get('/api/assurance/templates', { config: { policy: 'assurance.read' }, schema: { summary: 'Self-audit templates: shipped (seeds 002, 000, 001) and created by users', tags, response: { 200: z.array(templateSummary), ...errorResponses } } }, async (req) =>
    req.ctx.run('assurance.read', { type: 'assurance_templates' }, (db) => listTemplates(db)),
  );
  app.get('/api/assurance/templates/:id', { config: { policy: 'assurance.read' }, schema: { summary: 'One template with its sections and items', tags, params: templateParam, response: { 200: templateSchema, ...errorResponses } } }, async (req) => {
    const t = await req.ctx.run('assurance.read', { type: 'assurance_template', id: req.params.id }, (db) => getTemplate(db, req.params.id));
    if (!t) throw new HttpProblem(404, `No template ${req.params.id}`);
    return t;
  });
  app.post('/api/assurance/templates', { config: { policy: 'assurance.audit.edit' }, schema: { summary: 'Create a template from an outline ("# Section" lines, "item | lead" lines)', tags, body: templateInputSchema, response: { 201: templateSchema, ...withConflict } } }, async (req, reply) => {
    const t = await req.ctx.run('assurance.audit.edit', { type: 'assurance_template' }, (db) => createTemplate(db, req.body, username(req)).catch(asProblem));
    reply.code(201);
    return t;
  });

  // ---- audits ----
  app.get('/api/assurance/audits', { config: { policy: 'assurance.read' }, schema: { summary: 'Self-audits with their round, status and RAG counts', tags, response: { 200: z.array(auditSummary), ...errorResponses } } }, async (req) =>
    req.ctx.run('assurance.read', { type: 'assurance_audits' }, (db) => listAudits(db)),
  );
  app.post('/api/assurance/audits', { config: { policy: 'assurance.audit.edit' }, schema: { summary: 'Start an audit from a template', tags, body: auditInputSchema, response: { 201: idResponse, ...withConflict } } }, async (req, reply) => {
    const id = await req.ctx.run('assurance.audit.edit', { type: 'assurance_audit' }, (db) => createAudit(db, req.body, username(req)).catch(asProblem));
    reply.code(201).header('location', `/api/assurance/audits/${id}`);
    return { id };
  });
  app.get('/api/assurance/audits/:id', { config: { policy: 'assurance.read' }, schema: { summary: 'One audit: items with lead, rating, comments, actions, evidence, measures (live in a draft) and changes since the last round', tags, params: idParam, response: { 200: auditDetail, ...errorResponses } } }, async (req) => {
    const a = await req.ctx.run('assurance.read', { type: 'assurance_audit', id: req.params.id }, (db) => getAudit(db, req.params.id));
    if (!a) throw new HttpProblem(404, `No audit ${req.params.id}`);
    return a;
  });
  app.patch('/api/assurance/audits/:id/items/:key', { config: { policy: 'assurance.audit.edit' }, schema: { summary: 'Rate an item; change its comments, lead or evidence', tags, params: itemParams, body: itemUpdateSchema, response: empty } }, async (req, reply) => {
    await req.ctx.run('assurance.audit.edit', { type: 'assurance_audit_item', id: `${req.params.id}/${req.params.key}` }, (db) => updateItem(db, req.params.id, req.params.key, req.body, username(req)).catch(asProblem), { rating: req.body.rating ?? null });
    return reply.code(204).send(null);
  });
  app.post('/api/assurance/audits/:id/items/:key/actions', { config: { policy: 'assurance.audit.edit' }, schema: { summary: 'Add an action (owner, due date) to an item', tags, params: itemParams, body: actionInputSchema, response: { 201: idResponse, ...withConflict } } }, async (req, reply) => {
    const id = await req.ctx.run('assurance.audit.edit', { type: 'assurance_audit_item', id: `${req.params.id}/${req.params.key}` }, (db) => addAction(db, req.params.id, req.params.key, req.body, username(req)).catch(asProblem));
    reply.code(201);
    return { id };
  });
  app.patch('/api/assurance/audits/:id/actions/:actionId', { config: { policy: 'assurance.audit.edit' }, schema: { summary: 'Mark an action done or open', tags, params: actionParams, body: actionUpdateSchema, response: empty } }, async (req, reply) => {
    await req.ctx.run('assurance.audit.edit', { type: 'assurance_action', id: req.params.actionId }, (db) => updateAction(db, req.params.id, req.params.actionId, req.body, username(req)).catch(asProblem));
    return reply.code(204).send(null);
  });
  app.post('/api/assurance/audits/:id/complete', { config: { policy: 'assurance.audit.edit' }, schema: { summary: 'Complete an audit: its measures are frozen with it', tags, params: idParam, response: empty } }, async (req, reply) => {
    await req.ctx.run('assurance.audit.edit', { type: 'assurance_audit', id: req.params.id }, (db) => completeAudit(db, req.params.id, username(req)).catch(asProblem));
    return reply.code(204).send(null);
  });
  app.post('/api/assurance/audits/:id/repeat', { config: { policy: 'assurance.audit.edit' }, schema: { summary: 'Start the next round of an audit (carries ratings, comments, evidence and open actions forward)', tags, params: idParam, body: repeatInputSchema, response: { 201: idResponse, ...withConflict } } }, async (req, reply) => {
    const id = await req.ctx.run('assurance.audit.edit', { type: 'assurance_audit', id: req.params.id }, (db) => repeatAudit(db, req.params.id, req.body, username(req)).catch(asProblem));
    reply.code(201).header('location', `/api/assurance/audits/${id}`);
    return { id };
  });
  for (const format of ['xlsx', 'pdf'] as const) {
    app.get(`/api/assurance/audits/:id/export.${format}`, { config: { policy: 'assurance.export' }, schema: { summary: `The audit as ${format.toUpperCase()}`, tags, params: idParam, produces: [format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf'], response: fileResponse } }, async (req, reply) => {
      const file = await req.ctx.run('assurance.export', { type: 'assurance_audit', id: req.params.id }, async (db) => {
        const a = await getAudit(db, req.params.id);
        if (!a) throw new HttpProblem(404, `No audit ${req.params.id}`);
        return { name: `${slug(a.title)}-round-${a.round}-${a.as_of}.${format}`, body: format === 'xlsx' ? await auditXlsx(a) : await auditPdf(a) };
      }, { format });
      return send(reply, format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf', file.name, file.body);
    });
  }

  // ---- partner directory ----
  app.get('/api/assurance/partners', { config: { policy: 'assurance.read' }, schema: { summary: 'The partner directory', tags, response: { 200: z.array(partnerSchema), ...errorResponses } } }, async (req) => req.ctx.run('assurance.read', { type: 'partner_directory' }, (db) => listPartners(db)));
  app.post('/api/assurance/partners', { config: { policy: 'assurance.plan.edit' }, schema: { summary: 'Add a partner to the directory', tags, body: partnerInputSchema, response: { 201: partnerSchema, ...withConflict } } }, async (req, reply) => {
    const p = await req.ctx.run('assurance.plan.edit', { type: 'partner_directory' }, (db) => addPartner(db, req.body, username(req)).catch(asProblem));
    reply.code(201);
    return p;
  });
  app.put('/api/assurance/partners/:id', { config: { policy: 'assurance.plan.edit' }, schema: { summary: 'Change a partner', tags, params: idParam, body: partnerInputSchema, response: { 200: partnerSchema, ...withConflict } } }, async (req) =>
    req.ctx.run('assurance.plan.edit', { type: 'partner_directory', id: req.params.id }, (db) => updatePartner(db, req.params.id, req.body, username(req)).catch(asProblem)),
  );
  app.delete('/api/assurance/partners/:id', { config: { policy: 'assurance.plan.edit' }, schema: { summary: 'Remove a partner from the directory (refused while the current plan invites it or circulates to it)', tags, params: idParam, response: empty } }, async (req, reply) => {
    await req.ctx.run('assurance.plan.edit', { type: 'partner_directory', id: req.params.id }, (db) => deletePartner(db, req.params.id).catch(asProblem));
    return reply.code(204).send(null);
  });

  // ---- the plan ----
  app.get('/api/assurance/plan', { config: { policy: 'assurance.read' }, schema: { summary: 'The preparedness plan (a version, default the latest), its versions, triggers from early warning, gaps and trial runs', tags, querystring: z.object({ version: z.coerce.number().int().positive().optional() }), response: { 200: planView, ...errorResponses } } }, async (req) => {
    const plan = await req.ctx.run('assurance.read', { type: 'assurance_plan' }, (db) => getPlan(db, req.query.version));
    if (!plan) throw new HttpProblem(404, req.query.version ? `No version ${req.query.version} of the plan` : 'There is no plan yet');
    return plan;
  });
  app.post('/api/assurance/plan', { config: { policy: 'assurance.plan.edit' }, schema: { summary: 'Start the plan from seed 000 (Appendix 3 activities, §4 comms audiences)', tags, body: z.object({ area: z.string().trim().max(200).optional() }).strict(), response: { 201: idResponse, ...withConflict } } }, async (req, reply) => {
    const id = await req.ctx.run('assurance.plan.edit', { type: 'assurance_plan' }, (db) => createPlan(db, username(req), req.body.area ?? '').catch(asProblem));
    reply.code(201);
    return { id };
  });
  app.put('/api/assurance/plan', { config: { policy: 'assurance.plan.edit' }, schema: { summary: 'Save a new version of the plan (refused when someone saved a newer one since base_version)', tags, body: planSaveSchema, response: { 200: versionResponse, ...withConflict } } }, async (req) => {
    const version = await req.ctx.run('assurance.plan.edit', { type: 'assurance_plan' }, (db) => savePlan(db, req.body, username(req)).catch(asProblem));
    return { version };
  });
  app.get('/api/assurance/plan/export.pdf', { config: { policy: 'assurance.export' }, schema: { summary: 'The plan as PDF, to circulate', tags, querystring: z.object({ version: z.coerce.number().int().positive().optional() }), produces: ['application/pdf'], response: fileResponse } }, async (req, reply) => {
    const body = await req.ctx.run('assurance.export', { type: 'assurance_plan' }, async (db) => {
      const plan = await getPlan(db, req.query.version);
      if (!plan) throw new HttpProblem(404, 'There is no plan yet');
      return { body: await planPdf(plan), version: plan.version };
    });
    return send(reply, 'application/pdf', `preparedness-plan-v${body.version}.pdf`, body.body);
  });
  app.post('/api/assurance/plan/trial-runs', { config: { policy: 'assurance.trial_run' }, schema: { summary: 'Start a trial run: drill reports enter the LDIS as exercise reports', tags, body: trialRunInputSchema, response: { 201: trialRunSchema, ...withConflict } } }, async (req, reply) => {
    const run = await req.ctx.run('assurance.trial_run', { type: 'assurance_trial_run' }, (db) => startTrialRun(db, req.body, username(req)).catch(asProblem));
    reply.code(201);
    return run;
  });
  app.get('/api/assurance/plan/trial-runs/:id', { config: { policy: 'assurance.read' }, schema: { summary: 'A trial run and how its drill reports stand in the LDIS: received, assessed (time to assessment), decided', tags, params: idParam, response: { 200: trialRunDetail, ...errorResponses } } }, async (req) => {
    const r = await req.ctx.run('assurance.read', { type: 'assurance_trial_run', id: req.params.id }, (db) => getTrialRun(db, req.params.id));
    if (!r) throw new HttpProblem(404, `No trial run ${req.params.id}`);
    return r;
  });
  app.put('/api/assurance/plan/trial-runs/:id', { config: { policy: 'assurance.trial_run' }, schema: { summary: 'Record what happened in a trial run and what to improve', tags, params: idParam, body: trialRunReportSchema, response: empty } }, async (req, reply) => {
    await req.ctx.run('assurance.trial_run', { type: 'assurance_trial_run', id: req.params.id }, (db) => recordTrialRun(db, req.params.id, req.body, username(req)).catch(asProblem));
    return reply.code(204).send(null);
  });
  app.post('/api/assurance/plan/trial-runs/:id/close', { config: { policy: 'assurance.trial_run' }, schema: { summary: 'Close a trial run once what happened and what to improve are recorded', tags, params: idParam, response: empty } }, async (req, reply) => {
    await req.ctx.run('assurance.trial_run', { type: 'assurance_trial_run', id: req.params.id }, (db) => closeTrialRun(db, req.params.id, username(req)).catch(asProblem));
    return reply.code(204).send(null);
  });

  // ---- needs assessment ----
  app.get('/api/assurance/needs', { config: { policy: 'assurance.read' }, schema: { summary: 'Needs assessment: prevalence, penetration, outcomes with trend, comparators, and disclosure-controlled figures for sharing', tags, querystring: dateQuery, response: { 200: needsReportSchema, ...errorResponses } } }, async (req) => {
    const date = req.query.date ?? new Date().toISOString().slice(0, 10);
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new HttpProblem(400, 'date must be a real date');
    return req.ctx.run('assurance.read', { type: 'needs_assessment' }, async (db) => {
      // With no date: the last day of the data (the latest episode or TOP), not today.
      if (!req.query.date) {
        const r = await db.query<{ d: string | null }>('SELECT greatest((SELECT max(start_date) FROM episodes), (SELECT max(date) FROM top))::text AS d');
        return needsReport(db, r[0]?.d ?? date);
      }
      return needsReport(db, date);
    });
  });
  app.post('/api/assurance/needs/prevalence', { config: { policy: 'assurance.needs.edit' }, schema: { summary: 'Enter a prevalence estimate (area, substance group, estimate, source and year)', tags, body: prevalenceInputSchema, response: { 201: idResponse, ...withConflict } } }, async (req, reply) => {
    const id = await req.ctx.run('assurance.needs.edit', { type: 'needs_prevalence' }, (db) => addPrevalence(db, req.body, username(req)).catch(asProblem));
    reply.code(201);
    return { id };
  });
  app.post('/api/assurance/needs/comparators', { config: { policy: 'assurance.needs.edit' }, schema: { summary: 'Enter a regional or national comparator (%)', tags, body: comparatorInputSchema, response: { 201: idResponse, ...withConflict } } }, async (req, reply) => {
    const id = await req.ctx.run('assurance.needs.edit', { type: 'needs_comparator' }, (db) => addComparator(db, req.body, username(req)).catch(asProblem));
    reply.code(201);
    return { id };
  });
  for (const [what, path, update, remove, body] of [
    ['prevalence estimate', 'prevalence', updatePrevalence, deletePrevalence, prevalenceInputSchema],
    ['comparator', 'comparators', updateComparator, deleteComparator, comparatorInputSchema],
  ] as const) {
    const type = path === 'prevalence' ? 'needs_prevalence' : 'needs_comparator';
    app.put(`/api/assurance/needs/${path}/:id`, { config: { policy: 'assurance.needs.edit' }, schema: { summary: `Change a ${what}`, tags, params: idParam, body, response: empty } }, async (req, reply) => {
      await req.ctx.run('assurance.needs.edit', { type, id: req.params.id }, (db) => update(db, req.params.id, req.body, username(req)).catch(asProblem));
      return reply.code(204).send(null);
    });
    app.delete(`/api/assurance/needs/${path}/:id`, { config: { policy: 'assurance.needs.edit' }, schema: { summary: `Delete a ${what}`, tags, params: idParam, response: empty } }, async (req, reply) => {
      await req.ctx.run('assurance.needs.edit', { type, id: req.params.id }, (db) => remove(db, req.params.id).catch(asProblem));
      return reply.code(204).send(null);
    });
  }
  app.post(
    '/api/assurance/needs/import',
    {
      config: { policy: 'assurance.needs.edit' },
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        summary: 'Import prevalence estimates (area,substance,estimate,rate_per_1000,year,source) or comparators (measure,level,value,period,source) from CSV: all or nothing, every problem listed (file, line, column, value, expected)',
        tags,
        body: needsImportBody,
        response: { 201: needsImportResponse, 400: needsImportProblem, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (req, reply) => {
      try {
        const r = await req.ctx.run('assurance.needs.edit', { type: 'needs_import', id: req.body.file_name }, (db) => importNeedsCsv(db, { fileName: req.body.file_name, text: req.body.csv, by: username(req) }));
        reply.code(201);
        return r;
      } catch (err) {
        if (err instanceof NeedsImportError) {
          reply.code(400).type('application/problem+json');
          return { ...problem(400, err.message, undefined, err.errors), problems: err.problems.slice(0, 1000) };
        }
        return asProblem(err);
      }
    },
  );
}
