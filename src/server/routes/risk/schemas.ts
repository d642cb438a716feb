import { z } from 'zod';
import { FLAG_CODES, TIERS } from '../../../domain/risk';

const num = z.number().nullable();
const flagCode = z.enum(FLAG_CODES);
const tier = z.enum(TIERS);
const byFlag = z.object(Object.fromEntries(FLAG_CODES.map((c) => [c, z.number().int()])) as Record<(typeof FLAG_CODES)[number], z.ZodNumber>);
const byFlagPct = z.object(Object.fromEntries(FLAG_CODES.map((c) => [c, num])) as Record<(typeof FLAG_CODES)[number], typeof num>);
const coverage = z.object({ people: z.number().int(), with_naloxone: z.number().int(), pct: num });

export const riskSummarySchema = z.object({
  people: z.number().int(),
  tiers: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
  flags: byFlag,
  critical: byFlag,
  pct: z.object({ tiers: z.object({ high: num, medium: num, low: num }), flags: byFlagPct }),
  naloxone_coverage: z.object({ all: coverage, high: coverage, mat2: coverage }),
});

export const riskPersonSchema = z.object({
  person_id: z.string(),
  service_id: z.string(),
  mat_stage: z.enum(['MAT1', 'MAT2', 'MAT3', 'MAT4', 'uncategorised']).nullable(),
  tier,
  flags: z.array(flagCode),
  critical: z.array(flagCode),
  reasons: z.array(z.string()),
});

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const reportQuery = z.object({ date: date.optional(), service: z.string().min(1).max(200).optional() });
export const personParams = z.object({ personId: z.string().min(1).max(200) });
export const personQuery = z.object({ date: date.optional() });

export const reportResponse = z.object({
  date: z.string(),
  service_id: z.string().nullable(),
  people: z.array(riskPersonSchema),
  services: z.array(riskSummarySchema.extend({ service_id: z.string(), name: z.string().nullable() })),
  organisation: riskSummarySchema,
});

const evidence = z.object({ kind: z.string(), id: z.string(), date: z.string().nullable(), detail: z.string() });
const action = z.object({ id: z.string(), text: z.string(), owner: z.string(), sources: z.array(z.string()) });

export const personResponse = z.object({
  person: z.object({ person_id: z.string(), service_id: z.string() }),
  date: z.string(),
  mat: z.object({
    in_mat: z.boolean(),
    stage: z.enum(['MAT1', 'MAT2', 'MAT3', 'MAT4', 'uncategorised']).nullable(),
    cohort: z.enum(['red', 'amber', 'green', 'grey']).nullable(),
    og_band: z.enum(['below', 'at_or_above', 'n/a']).nullable(),
    regime: z.enum(['increasing', 'static', 'reducing', 'detox']).nullable(),
    medication: z.string().nullable(),
    dose_mg: num,
    continuous_start: z.string().nullable(),
    reasons: z.array(z.string()),
  }),
  profile: z.object({
    tier,
    rule: z.object({ id: z.string(), tier, text: z.string() }),
    flags: z.array(z.object({ code: flagCode, critical: z.boolean(), reason: z.string(), evidence: z.array(evidence) })),
    critical: z.array(flagCode),
    counted: z.array(flagCode),
    reasons: z.array(z.string()),
    actions: z.array(z.object({ flag: flagCode, actions: z.array(action) })),
  }),
});
