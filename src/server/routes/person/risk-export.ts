import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { riskReportCsv, writeRiskWorkbook } from '../../../data/mat/export';
import { loadRiskConfig } from '../../../data/risk/config-store';
import { RiskReportError, riskReport, type RiskReport } from '../../../data/risk/report';
import type { AccessContext } from '../../access/context';
import { HttpProblem } from '../../problem';
import { scopeQuery } from './schemas';
import { todayUtc } from '../../../clock';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function asProblem(err: unknown): never {
  if (err instanceof RiskReportError) throw new HttpProblem(/No service/.test(err.message) ? 404 : 400, err.message);
  throw err;
}

const fileName = (r: RiskReport, ext: string): string => `beacon-risk-${r.date}${r.service_id ? `-${r.service_id.replace(/[^A-Za-z0-9_-]/g, '_')}` : ''}.${ext}`;

/**
 * The service risk report (issue 4 §6) as downloads: the same document as
 * `GET /api/risk/report` and `beacon report risk --format csv|xlsx` (people of the
 * caller's scope; counts per service and organisation), with the configuration in force.
 */
export async function riskExportRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const load = async (ctx: AccessContext, date: string, service: string | null, format: string): Promise<RiskReport> =>
    ctx.run(
      'risk.report',
      { type: 'risk_report', id: service },
      async (db) => riskReport(db, { date, serviceId: service, serviceIds: await ctx.visibleServiceIds(), config: await loadRiskConfig(db) }).catch(asProblem),
      { date, format },
    );

  app.get(
    '/api/risk/report.csv',
    {
      config: { policy: 'risk.report' },
      schema: { summary: 'The overdose-risk report as CSV: one row per person in MAT (caller’s scope) with tier, flags, critical flags and reasons', tags: ['risk'], querystring: scopeQuery, produces: ['text/csv'] },
    },
    async (req, reply) => {
      const r = await load(req.ctx, req.query.date ?? todayUtc(), req.query.service ?? null, 'csv');
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName(r, 'csv')}"`).send(riskReportCsv(r));
    },
  );

  app.get(
    '/api/risk/report.xlsx',
    {
      config: { policy: 'risk.report' },
      schema: { summary: 'The overdose-risk report as a workbook: People, and Summary (each service and the organisation: tiers, flags, naloxone coverage)', tags: ['risk'], querystring: scopeQuery, produces: [XLSX_TYPE] },
    },
    async (req, reply) => {
      const r = await load(req.ctx, req.query.date ?? todayUtc(), req.query.service ?? null, 'xlsx');
      const name = fileName(r, 'xlsx');
      const dir = await mkdtemp(join(tmpdir(), 'beacon-risk-'));
      try {
        const file = join(dir, name);
        await writeRiskWorkbook(r, file);
        const size = (await stat(file)).size;
        const stream = createReadStream(file);
        stream.on('close', () => void rm(dir, { recursive: true, force: true }));
        return reply.type(XLSX_TYPE).header('content-length', size).header('content-disposition', `attachment; filename="${name}"`).send(stream);
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    },
  );
}
