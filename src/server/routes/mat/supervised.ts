import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordScReview, ScReviewInvalid, supervisedReport } from '../../../data/mat/supervised';
import { defaultMatConfig } from '../../../domain/mat';
import { personAccess, PersonRefused } from '../../access/person-access';
import { errorResponses, HttpProblem } from '../../problem';
import { monthQuery } from './schemas';
import { asProblem, defaultMonth } from './common';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

const scRate = z.object({ supervised: z.number(), known: z.number(), inMat: z.number(), rate: z.number().nullable() });

const supervisedResponse = z.object({
  month: z.string(),
  date: z.string(),
  service_id: z.string().nullable(),
  rates: z.object({ organisation: scRate, services: z.record(z.string(), scRate), reference_rate: z.number() }),
  on_top_threshold: z.object({ days: z.number(), of: z.number() }),
  people: z.array(
    z.object({
      person_id: z.string(),
      service_id: z.string(),
      stage: z.string().nullable(),
      medication: z.string().nullable(),
      dose_mg: z.number().nullable(),
      supervised: z.boolean().nullable(),
      pickup: z.string().nullable(),
      on_top_days: z.number().nullable(),
      latest_review: z
        .object({ review_id: z.string(), date: z.string(), decision: z.string().nullable(), next_review_date: z.string().nullable(), rationale: z.string().nullable() })
        .nullable(),
      assessment: z.object({
        riskItems: z.array(z.string()),
        unanswered: z.array(z.string()),
        regularOnTop: z.boolean(),
        recommendations: z.array(z.object({ code: z.string(), message: z.string() })),
      }),
      lists: z.array(z.enum(['relax', 'regular_on_top', 'no_review', 'review_overdue'])),
    }),
  ),
});

const reviewBody = z.object({
  person_id: z.string().min(1).max(200),
  date: isoDate,
  answers: z.record(z.string().max(100), z.boolean().nullable()),
  decision: z.enum(['supervised', 'daily_pickup', 'relaxed']),
  rationale: z.string().max(5000),
  next_review_date: isoDate.nullable(),
});

/** Supervised consumption (domain §1.6): the lists and rates, the questionnaire, recording a review. */
export async function supervisedRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/mat/supervised',
    {
      config: { policy: 'mat.supervised' },
      schema: {
        summary: 'Supervised consumption on a month end: candidates to relax, on-top use above 20 of 28 days, no or overdue review; SC rates per service and organisation',
        tags: ['mat'],
        querystring: monthQuery,
        response: { 200: supervisedResponse, ...errorResponses },
      },
    },
    async (req) => {
      const month = req.query.month ?? defaultMonth();
      return req.ctx.run(
        'mat.supervised',
        { type: 'mat_supervised', id: req.query.service ?? null },
        async (db) => supervisedReport(db, { month, serviceId: req.query.service ?? null, serviceIds: await req.ctx.visibleServiceIds() }).catch(asProblem),
        { month },
      );
    },
  );

  app.get(
    '/api/mat/sc-questionnaire',
    {
      config: { policy: 'mat.supervised' },
      schema: {
        summary: 'The supervised-consumption review questionnaire in use (configurable; ships with the toolkit’s three decision items and “other risk”)',
        tags: ['mat'],
        response: {
          200: z.object({
            version: z.string(),
            items: z.array(z.object({ id: z.string(), label: z.string(), drivesDecision: z.boolean() })),
            decisions: z.array(z.string()),
            on_top_threshold: z.object({ days: z.number(), of: z.number() }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      req.ctx.run('mat.supervised', { type: 'sc_questionnaire' }, async () => {
        const sc = defaultMatConfig.supervisedConsumption;
        return {
          version: sc.questionnaire.version,
          items: sc.questionnaire.items.map((i) => ({ id: i.id, label: i.label, drivesDecision: i.drivesDecision })),
          decisions: ['supervised', 'daily_pickup', 'relaxed'],
          on_top_threshold: { days: sc.onTopDaysThreshold, of: sc.onTopDaysOf },
        };
      }),
  );

  app.post(
    '/api/mat/sc-reviews',
    {
      config: { policy: 'mat.sc_review.record' },
      schema: {
        summary: 'Record a supervised-consumption review for a person in the caller’s scope',
        tags: ['mat'],
        body: reviewBody,
        response: { 201: z.object({ review_id: z.string(), recommendations: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const result = await req.ctx.run('mat.sc_review.record', { type: 'person', id: body.person_id }, async (db) => {
        const access = await personAccess(req.ctx, db, body.person_id, 'mat.sc_review.record');
        if (!access.allowed) throw new PersonRefused(access);
        try {
          return await recordScReview(db, body, req.ctx.principal?.username ?? 'unknown', new Date().toISOString().slice(0, 10));
        } catch (err) {
          if (err instanceof ScReviewInvalid) throw new HttpProblem(400, 'The review cannot be recorded', err.problems);
          throw err;
        }
      });
      return reply.code(201).send(result);
    },
  );
}
