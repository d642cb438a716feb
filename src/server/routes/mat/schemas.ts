import { z } from 'zod';

const num = z.number().nullable();
const groups = ['mat1', 'red', 'amber', 'green', 'grey', 'mat4', 'uncategorised', 'mat2_no_band', 'mat3_no_band'] as const;
const counts = z.object(Object.fromEntries(groups.map((g) => [g, z.number().int()])) as Record<(typeof groups)[number], z.ZodNumber>);
const pcts = z.object(Object.fromEntries([...groups, 'mat2', 'mat3'].map((g) => [g, num])) as Record<string, typeof num>);
const meanDoses = z.object({ methadone_mg: num, buprenorphine_mg: num });
const doses = z.object(Object.fromEntries([...groups, 'mat2', 'mat3', 'all'].map((g) => [g, meanDoses])) as Record<string, typeof meanDoses>);

export const trackerFiguresSchema = z.object({
  in_mat: z.number().int(),
  cohorts: counts,
  stages: z.object({ mat1: z.number().int(), mat2: z.number().int(), mat3: z.number().int(), mat4: z.number().int(), uncategorised: z.number().int() }),
  pct: pcts,
  mean_doses: doses,
});
export const monthFiguresSchema = trackerFiguresSchema.extend({ month: z.string() });
export const serviceFiguresSchema = trackerFiguresSchema.extend({ service_id: z.string(), name: z.string().nullable() });

const cell = z.object({ count: z.number().int(), pct: num, mean_methadone_mg: num, mean_buprenorphine_mg: num });
const breakdown = cell.extend({
  by_band: z.record(z.string(), cell),
  by_regime: z.record(z.string(), cell),
  by_band_regime: z.record(z.string(), z.record(z.string(), cell)),
});
export const serviceDataSchema = z.object({ in_mat: z.number().int(), mat1: cell, mat2: breakdown, mat3: breakdown, mat4: cell, uncategorised: cell });
const rank = z.object({ value: num, rank: z.number().int().nullable(), of: z.number().int() });
export const serviceDataWithRanksSchema = serviceDataSchema.extend({ service_id: z.string(), ranks: z.record(z.string(), rank) });

const stage = z.enum(['MAT1', 'MAT2', 'MAT3', 'MAT4', 'uncategorised']).nullable();
const cohort = z.enum(['red', 'amber', 'green', 'grey']).nullable();
const band = z.enum(['below', 'at_or_above', 'n/a']).nullable();
const regime = z.enum(['increasing', 'static', 'reducing', 'detox']).nullable();
const tier = z.enum(['high', 'medium', 'low']).nullable();

export const matPersonSchema = z.object({
  person_id: z.string(),
  service_id: z.string(),
  stage,
  cohort,
  og_band: band,
  regime,
  medication: z.string().nullable(),
  dose_mg: num,
  high_dose: z.boolean(),
  risk_tier: tier,
  reasons: z.array(z.string()),
});

export const worklistEntrySchema = z.object({
  priority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal('uncategorised')]),
  kind: z.string(),
  position: z.number().int(),
  person_id: z.string(),
  service_id: z.string(),
  reason: z.string(),
  action: z.string(),
  stage,
  cohort,
  og_band: band,
  regime,
  medication: z.string().nullable(),
  dose_mg: num,
  risk_tier: tier,
});

/** A worklist entry with the person's open care-plan actions (judged on `actions_as_of`). */
export const worklistEntryWithActionsSchema = worklistEntrySchema.extend({
  open_actions: z.number().int(),
  overdue_actions: z.number().int(),
  next_action_due: z.string().nullable(),
  next_action_overdue: z.boolean(),
});

const dq = z.object({ issues: z.number().int(), people: z.number().int(), by_code: z.record(z.string(), z.object({ issues: z.number().int(), people: z.number().int() })) });
export const dataQualitySchema = z.object({ organisation: dq, services: z.record(z.string(), dq) });

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
export const monthQuery = z.object({ month: month.optional(), service: z.string().min(1).max(200).optional() });
export const trackerQuery = monthQuery.extend({ months: z.enum(['12', '24']).default('12') });

export const trackerResponse = z.object({
  month: z.string(),
  date: z.string(),
  service_id: z.string().nullable(),
  months: z.array(z.string()),
  organisation: z.array(monthFiguresSchema),
  services: z.record(z.string(), z.array(monthFiguresSchema)),
  service_data: z.object({ organisation: serviceDataSchema, services: z.array(serviceDataWithRanksSchema) }),
  data_quality: dataQualitySchema,
});

export const reportResponse = z.object({
  month: z.string(),
  date: z.string(),
  service_id: z.string().nullable(),
  services: z.array(serviceFiguresSchema),
  organisation: trackerFiguresSchema,
  people: z.array(matPersonSchema),
  worklists: z.array(worklistEntryWithActionsSchema),
  /** The date the open actions' "overdue" is judged on (today: the care plan is live). */
  actions_as_of: z.string(),
  data_quality: dataQualitySchema,
});

export const worklistsResponse = z.object({
  month: z.string(),
  date: z.string(),
  service_id: z.string().nullable(),
  worklists: z.array(worklistEntryWithActionsSchema),
  /** The date the open actions' "overdue" is judged on (today: the care plan is live). */
  actions_as_of: z.string(),
});
