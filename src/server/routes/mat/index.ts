import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cachedTracker, narrowToService } from '../../../data/mat/cache';
import { MatReportError, matReport } from '../../../data/mat/report';
import { errorResponses, HttpProblem } from '../../problem';
import { monthQuery, reportResponse, trackerQuery, trackerResponse, worklistsResponse } from './schemas';

/** The last complete month (UTC) when none is asked for. */
export function defaultMonth(now: Date = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Report errors (unknown service, bad month) become problems; anything else is a 500. */
export function asProblem(err: unknown): never {
  if (err instanceof MatReportError) throw new HttpProblem(/No service/.test(err.message) ? 404 : 400, err.message);
  throw err;
}

export async function matRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

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
    async (req) => {
      const month = req.query.month ?? defaultMonth();
      // Served from the tracker cache (recomputed only when the dataset has changed).
      const r = await req.ctx.run('mat.tracker', { type: 'mat_tracker', id: req.query.service ?? null }, async (db) => {
        const cached = await cachedTracker(db, { month, trackerMonths: Number(req.query.months) }).catch(asProblem);
        try {
          return narrowToService(cached.report, req.query.service ?? null);
        } catch (err) {
          return asProblem(err);
        }
      });
      return {
        month: r.month,
        date: r.date,
        service_id: r.service_id,
        months: r.tracker.months,
        organisation: r.tracker.organisation,
        services: r.tracker.services,
        service_data: r.service_data,
        data_quality: r.data_quality,
      };
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
        async (db) => matReport(db, { month, serviceId: req.query.service ?? null, serviceIds: await req.ctx.visibleServiceIds(), trackerMonths: 1 }).catch(asProblem),
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
        async (db) => matReport(db, { month, serviceId: req.query.service ?? null, serviceIds: await req.ctx.visibleServiceIds(), trackerMonths: 1 }).catch(asProblem),
        { month },
      );
      return { month: r.month, date: r.date, service_id: r.service_id, worklists: r.worklists };
    },
  );
}
