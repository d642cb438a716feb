import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { loadRiskConfig } from '../../../data/risk/config-store';
import { personRisk, RiskReportError, riskReport } from '../../../data/risk/report';
import { personAccess, PersonRefused } from '../../access/person-access';
import { errorResponses, HttpProblem } from '../../problem';
import { personParams, personQuery, personResponse, reportQuery, reportResponse } from './schemas';
import { todayUtc } from '../../../clock';

function asProblem(err: unknown): never {
  if (err instanceof RiskReportError) throw new HttpProblem(/No service/.test(err.message) ? 404 : 400, err.message);
  throw err;
}

export async function riskRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/risk/report',
    {
      config: { policy: 'risk.report' },
      schema: {
        summary: 'Overdose-risk report: everyone in MAT on the date with tier and flags (caller’s scope), counts per service and organisation',
        tags: ['risk'],
        querystring: reportQuery,
        response: { 200: reportResponse, ...errorResponses },
      },
    },
    async (req) => {
      const date = req.query.date ?? todayUtc();
      return req.ctx.run(
        'risk.report',
        { type: 'risk_report', id: req.query.service ?? null },
        async (db) => riskReport(db, { date, serviceId: req.query.service ?? null, serviceIds: await req.ctx.visibleServiceIds(), config: await loadRiskConfig(db) }).catch(asProblem),
        { date },
      );
    },
  );

  app.get(
    '/api/risk/person/:personId',
    {
      config: { policy: 'risk.person' },
      schema: {
        summary: 'One person’s MAT position and overdose-risk profile (404 outside the caller’s scope)',
        tags: ['risk'],
        params: personParams,
        querystring: personQuery,
        response: { 200: personResponse, ...errorResponses },
      },
    },
    async (req) => {
      const date = req.query.date ?? todayUtc();
      const r = await req.ctx.run('risk.person', { type: 'person', id: req.params.personId }, async (db) => {
        // In scope, or through a live break-the-glass grant (audited as break_glass.use).
        const access = await personAccess(req.ctx, db, req.params.personId, 'risk.person');
        if (!access.allowed) throw new PersonRefused(access);
        const serviceIds = access.via === 'scope' ? await req.ctx.visibleServiceIds() : [access.serviceId];
        return personRisk(db, req.params.personId, { date, serviceIds, config: await loadRiskConfig(db) }).catch(asProblem);
      });
      if (r === null) throw new HttpProblem(404, 'No such person');
      const m = r.mat;
      return {
        person: { person_id: r.person.person_id, service_id: r.person.service_id },
        date: r.date,
        mat: {
          in_mat: m.inMat,
          stage: m.stage,
          cohort: m.cohort,
          og_band: m.ogBand,
          regime: m.regime,
          medication: m.medication,
          dose_mg: m.doseMg,
          continuous_start: m.continuousStart,
          reasons: m.reasons,
        },
        profile: {
          tier: r.profile.tier,
          rule: r.profile.rule,
          flags: r.profile.flags,
          critical: r.profile.critical,
          counted: r.profile.counted,
          reasons: r.profile.reasons,
          actions: r.profile.actions.map((a) => ({ flag: a.flag, actions: a.actions.map((x) => ({ id: x.id, text: x.text, owner: x.owner, sources: [...x.sources] })) })),
        },
      };
    },
  );
}
