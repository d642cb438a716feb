import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { matWorklistsCsv, writeMatWorkbook, writeMatWorklistsWorkbook } from '../../../data/mat/export';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cachedTracker, narrowToService } from '../../../data/mat/cache';
import { matReport, type MatReport } from '../../../data/mat/report';
import { withOpenActions, type MatReportWithActions } from '../../../data/mat/worklist-actions';
import { createHash } from 'node:crypto';
import { prepareBody, sendPrepared, type PreparedBody } from '../../prepared-body';
import { asProblem, defaultMonth } from './common';
import { supervisedRoutes } from './supervised';
import { loadRiskConfig } from '../../../data/risk/config-store';
import { errorResponses } from '../../problem';
import { monthQuery, reportResponse, trackerQuery, trackerResponse, worklistsResponse } from './schemas';
import { todayUtc } from '../../../clock';

/**
 * Tracker response bodies by dataset version, month, window and service (most recent
 * kept). A body being made is kept too, and shared by the requests that ask for it
 * meanwhile: the organisation-wide one is about 6 MB of JSON, and under load dozens of
 * requests arrive while it is checked and compressed (each made its own copy before).
 */
const trackerBodies = new Map<string, Promise<PreparedBody>>();
const TRACKER_BODIES_LIMIT = 256;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The tracker response for one service (or all), checked against the response schema once, encoded and compressed. */
async function trackerBody(report: MatReport, serviceId: string | null, key: string): Promise<PreparedBody> {
  let r: MatReport;
  try {
    r = narrowToService(report, serviceId);
  } catch (err) {
    return asProblem(err);
  }
  const response = trackerResponse.parse({
    month: r.month,
    date: r.date,
    service_id: r.service_id,
    months: r.tracker.months,
    organisation: r.tracker.organisation,
    services: r.tracker.services,
    service_data: r.service_data,
    data_quality: r.data_quality,
  });
  return prepareBody(JSON.stringify(response), `W/"mat-tracker-${createHash('sha1').update(key).digest('hex').slice(0, 20)}"`);
}

export async function matRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  await fastify.register(supervisedRoutes);

  app.get(
    '/api/mat/tracker',
    {
      config: { policy: 'mat.tracker' },
      schema: {
        summary: 'MAT tracker: 12 or 24 month ends for the organisation and each service (or one), service data (Figure 8) with ranks, data-quality counts',
        tags: ['mat'],
        querystring: trackerQuery,
        response: { 200: trackerResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const month = req.query.month ?? defaultMonth();
      const serviceId = req.query.service ?? null;
      // Served from the tracker cache (recomputed only when the dataset has changed), and
      // the response body itself is kept per dataset version: a page view costs a lookup.
      const body = await req.ctx.run('mat.tracker', { type: 'mat_tracker', id: serviceId }, async (db) => {
        const cached = await cachedTracker(db, { month, trackerMonths: Number(req.query.months) }).catch(asProblem);
        const key = `${cached.datasetVersion}|${month}|${req.query.months}|${serviceId ?? ''}`;
        let made = trackerBodies.get(key);
        if (made === undefined) {
          const making = trackerBody(cached.report, serviceId, key);
          made = making;
          trackerBodies.set(key, making);
          // A failure (no such service) is not kept: the next request tries again.
          making.catch(() => {
            if (trackerBodies.get(key) === making) trackerBodies.delete(key);
          });
          while (trackerBodies.size > TRACKER_BODIES_LIMIT) {
            const oldest = trackerBodies.keys().next().value;
            if (oldest === undefined) break;
            trackerBodies.delete(oldest);
          }
        }
        return made;
      });
      // Ready-made bytes (plain or gzip) are sent as they are; the typed reply only knows the
      // schema's object shapes, hence the plain FastifyReply here.
      return sendPrepared(req, reply as FastifyReply, body);
    },
  );

  app.get(
    '/api/mat/report',
    {
      config: { policy: 'mat.report' },
      schema: {
        summary: 'MAT report of a month end with the people in MAT (only the services in the caller’s scope)',
        tags: ['mat'],
        querystring: monthQuery,
        response: { 200: reportResponse, ...errorResponses },
      },
    },
    async (req) => {
      const month = req.query.month ?? defaultMonth();
      const r = await req.ctx.run(
        'mat.report',
        { type: 'mat_report', id: req.query.service ?? null },
        async (db) => withOpenActions(db, await matReport(db, { month, serviceId: req.query.service ?? null, serviceIds: await req.ctx.visibleServiceIds(), trackerMonths: 1, riskConfig: await loadRiskConfig(db) }).catch(asProblem), todayUtc()),
        { month },
      );
      return {
        month: r.month,
        date: r.date,
        service_id: r.service_id,
        services: r.services,
        organisation: r.organisation,
        people: r.people,
        worklists: r.worklists,
        actions_as_of: r.actions_as_of,
        data_quality: r.data_quality,
      };
    },
  );

  app.get(
    '/api/mat/worklists',
    {
      config: { policy: 'mat.worklists' },
      schema: {
        summary: 'Priority worklists 1–5 and the uncategorised (only the services in the caller’s scope)',
        tags: ['mat'],
        querystring: monthQuery,
        response: { 200: worklistsResponse, ...errorResponses },
      },
    },
    async (req) => {
      const month = req.query.month ?? defaultMonth();
      const r = await req.ctx.run(
        'mat.worklists',
        { type: 'mat_worklists', id: req.query.service ?? null },
        async (db) => withOpenActions(db, await matReport(db, { month, serviceId: req.query.service ?? null, serviceIds: await req.ctx.visibleServiceIds(), trackerMonths: 1, riskConfig: await loadRiskConfig(db) }).catch(asProblem), todayUtc()),
        { month },
      );
      return { month: r.month, date: r.date, service_id: r.service_id, worklists: r.worklists, actions_as_of: r.actions_as_of };
    },
  );

  /** The report for a download: the caller's scope, people and worklists, 12 months of tracker. */
  const downloadReport = (req: { query: { month?: string | undefined; service?: string | undefined }; ctx: FastifyRequest['ctx'] }, action: 'mat.report' | 'mat.worklists', what: string) => {
    const month = req.query.month ?? defaultMonth();
    return req.ctx.run(
      action,
      { type: what, id: req.query.service ?? null },
      async (db) => withOpenActions(db, await matReport(db, { month, serviceId: req.query.service ?? null, serviceIds: await req.ctx.visibleServiceIds(), trackerMonths: 12, riskConfig: await loadRiskConfig(db) }).catch(asProblem), todayUtc()),
      { month, format: 'file' },
    );
  };
  const fileName = (r: MatReportWithActions, stem: string, ext: string): string => `beacon-${stem}-${r.month}${r.service_id ? `-${r.service_id.replace(/[^A-Za-z0-9_-]/g, '_')}` : ''}.${ext}`;
  const sendXlsx = async (reply: FastifyReply, name: string, write: (file: string) => Promise<void>) => {
    const dir = await mkdtemp(join(tmpdir(), 'beacon-mat-'));
    try {
      const file = join(dir, name);
      await write(file);
      const size = (await stat(file)).size;
      const stream = createReadStream(file);
      stream.on('close', () => void rm(dir, { recursive: true, force: true }));
      return reply.type(XLSX_TYPE).header('content-length', size).header('content-disposition', `attachment; filename="${name}"`).send(stream);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  };

  app.get(
    '/api/mat/workbook.xlsx',
    {
      config: { policy: 'mat.report' },
      schema: {
        summary: 'The MAT workbook services receive: Service Tracker (12 months), Service Data, MAT Breakdown (one row per person), Priorities, Data Quality',
        tags: ['mat'],
        querystring: monthQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => {
      const r = await downloadReport(req, 'mat.report', 'mat_workbook');
      return sendXlsx(reply, fileName(r, 'mat-workbook', 'xlsx'), (file) => writeMatWorkbook(r, file));
    },
  );

  app.get(
    '/api/mat/worklists.xlsx',
    {
      config: { policy: 'mat.worklists' },
      schema: { summary: 'The priority worklists as a workbook (all, then one sheet per priority)', tags: ['mat'], querystring: monthQuery, produces: [XLSX_TYPE] },
    },
    async (req, reply) => {
      const r = await downloadReport(req, 'mat.worklists', 'mat_worklists');
      return sendXlsx(reply, fileName(r, 'mat-worklists', 'xlsx'), (file) => writeMatWorklistsWorkbook(r, file));
    },
  );

  app.get(
    '/api/mat/worklists.csv',
    {
      config: { policy: 'mat.worklists' },
      schema: { summary: 'The priority worklists as CSV, in worklist order', tags: ['mat'], querystring: monthQuery, produces: ['text/csv'] },
    },
    async (req, reply) => {
      const r = await downloadReport(req, 'mat.worklists', 'mat_worklists');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(r, 'mat-worklists', 'csv')}"`)
        .send(matWorklistsCsv(r));
    },
  );
}
