import { z } from 'zod';
import { CARE_ACTION_LIMITS, CARE_ACTION_STATUSES, FLAG_CODES, isIsoDate, TIERS } from '../../../domain/risk';
import { problemSchema } from '../../problem';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => isIsoDate(s), 'not a real calendar date');
const tier = z.enum(TIERS);
const flagCode = z.enum(FLAG_CODES);
const stage = z.enum(['MAT1', 'MAT2', 'MAT3', 'MAT4', 'uncategorised']).nullable();
const num = z.number().nullable();
/** Dataset rows: the columns of dataset v1 (docs/dataset.md), passed through as stored. */
const row = z.record(z.string(), z.unknown());

export const personParams = z.object({ personId: z.string().min(1).max(200) });
export const actionParams = personParams.extend({ id: z.coerce.number().int().positive().max(2 ** 53) });
export const dateQuery = z.object({ date: isoDate.optional() });
export const scopeQuery = z.object({ date: isoDate.optional(), service: z.string().min(1).max(200).optional() });
export const advisoriesQuery = scopeQuery.extend({ days: z.coerce.number().int().min(1).max(3650).optional() });

/** 403 when the record is outside the caller's scope but break-the-glass could open it. */
export const forbiddenPerson = problemSchema.extend({ breakGlassAvailable: z.boolean().optional() });
export const personErrors = { 400: problemSchema, 401: problemSchema, 403: forbiddenPerson, 404: problemSchema } as const;

const provenance = { source: z.enum(['import', 'beacon']), captured_by: z.string().nullable(), captured_at: z.string().nullable() };
const evidence = z.object({ kind: z.string(), id: z.string(), date: z.string().nullable(), detail: z.string(), ...provenance });
const recommended = z.object({ id: z.string(), text: z.string(), owner: z.string(), sources: z.array(z.string()) });
const firedRule = z.object({ id: z.string(), tier, text: z.string() });

export const careAction = z.object({
  id: z.number().int(),
  person_id: z.string(),
  flag: z.string(),
  action_id: z.string().nullable(),
  text: z.string(),
  status: z.enum(CARE_ACTION_STATUSES),
  declined_reason: z.string().nullable(),
  due_date: z.string().nullable(),
  owner: z.string().nullable(),
  note: z.string().nullable(),
  created_at: z.string(),
  created_by: z.string(),
  updated_at: z.string(),
  updated_by: z.string(),
});

const reviews = z.object({ topOverdue: z.boolean(), topDueDate: z.string().nullable(), testOverdue: z.boolean(), lastEvidenceDate: z.string().nullable() });
const advisory = z.object({ code: z.string(), prescription_id: z.string(), date: z.string(), doseMg: num, message: z.string() });

export const recordResponse = z.object({
  date: z.string(),
  via: z.enum(['scope', 'break_glass']),
  person: z.object({
    person_id: z.string(),
    service_id: z.string(),
    service_name: z.string().nullable(),
    date_of_birth: z.string(),
    sex: z.string(),
    nhs_number: z.string().nullable(),
    postcode: z.string().nullable(),
    injecting_status: z.string().nullable(),
    housing: z.string().nullable(),
    lives_alone: z.boolean().nullable(),
    consent: z.boolean().nullable(),
    masked: z.array(z.string()),
  }),
  mat: z.object({
    in_mat: z.boolean(),
    stage,
    cohort: z.enum(['red', 'amber', 'green', 'grey']).nullable(),
    og_band: z.enum(['below', 'at_or_above', 'n/a']).nullable(),
    regime: z.enum(['increasing', 'static', 'reducing', 'detox']).nullable(),
    medication: z.string().nullable(),
    dose_mg: num,
    high_dose: z.boolean(),
    supervised: z.boolean().nullable(),
    pickup: z.string().nullable(),
    continuous_start: z.string().nullable(),
    days_since_start: num,
    reasons: z.array(z.string()),
  }),
  profile: z.object({
    tier,
    rule: firedRule,
    rules: z.array(firedRule),
    flags: z.array(z.object({ code: flagCode, critical: z.boolean(), counted: z.boolean(), new: z.boolean(), reason: z.string(), evidence: z.array(evidence) })),
    critical: z.array(flagCode),
    counted: z.array(flagCode),
    reasons: z.array(z.string()),
    actions: z.array(z.object({ flag: flagCode, actions: z.array(recommended) })),
  }),
  new_flags: z.array(flagCode),
  care_actions: z.array(careAction),
  advisories: z.array(advisory),
  reviews,
  prescriptions: z.array(row),
  markers: z.array(z.object({ kind: z.enum(['top', 'drug_test', 'risk_event', 'naloxone', 'sc_review']), id: z.string(), date: z.string(), label: z.string() })),
  tops: z.array(row),
  drug_tests: z.array(
    z.object({ test_id: z.string(), date: z.string(), sample: z.string().nullable(), results: z.array(z.object({ substance: z.string(), result: z.string().nullable() })), ...provenance }),
  ),
  risk_events: z.array(row),
  naloxone: z.array(row),
  sc_reviews: z.array(row),
  episodes: z.array(row),
});

const optionalText = (max: number) => z.string().max(max).nullable().optional();

export const careActionBody = z.object({
  flag: flagCode,
  action_id: z.string().max(200).nullable().optional(),
  text: z.string().min(1).max(CARE_ACTION_LIMITS.text),
  status: z.enum(CARE_ACTION_STATUSES),
  declined_reason: optionalText(CARE_ACTION_LIMITS.declinedReason),
  due_date: isoDate.nullable().optional(),
  owner: optionalText(CARE_ACTION_LIMITS.owner),
  note: optionalText(CARE_ACTION_LIMITS.note),
});

export const careActionPatch = z
  .object({
    text: z.string().min(1).max(CARE_ACTION_LIMITS.text).optional(),
    status: z.enum(CARE_ACTION_STATUSES).optional(),
    declined_reason: optionalText(CARE_ACTION_LIMITS.declinedReason),
    due_date: isoDate.nullable().optional(),
    owner: optionalText(CARE_ACTION_LIMITS.owner),
    note: optionalText(CARE_ACTION_LIMITS.note),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Change at least one field' });

// Capture bodies: strings as a form sends them; the dataset validator checks codes, dates
// and lengths exactly as the import does (so the messages are the import's).
const field = z.string().max(10_000);
export const riskEventBody = z.object({ date: field, type: field, detail: field.nullable().optional() });
export const naloxoneBody = z.object({ date: field, product: field, recipient: field.nullable().optional(), reason: field.nullable().optional() });
export const drugTestBody = z.object({
  date: field,
  sample: field.nullable().optional(),
  results: z.array(z.object({ substance: field, result: field })).max(30),
});
export const captureResponse = z.object({ table: z.string(), record_id: z.string(), tier, flags: z.array(flagCode) });

const serviceList = z.array(z.object({ service_id: z.string(), name: z.string().nullable() }));

export const caseloadResponse = z.object({
  date: z.string(),
  /** The service shown (null: the caller's one service, or every service when asked for none and there is one). */
  service_id: z.string().nullable(),
  /** The services the caller may choose from. */
  services: serviceList,
  totals: z.object({
    people: z.number().int(),
    high: z.number().int(),
    medium: z.number().int(),
    low: z.number().int(),
    new_flags: z.number().int(),
    top_overdue: z.number().int(),
    test_overdue: z.number().int(),
    no_naloxone: z.number().int(),
    overdue_actions: z.number().int(),
  }),
  people: z.array(
    z.object({
      person_id: z.string(),
      service_id: z.string(),
      tier,
      rule_id: z.string(),
      flags: z.array(flagCode),
      critical: z.array(flagCode),
      counted: z.array(flagCode),
      new_flags: z.array(flagCode),
      mat_stage: stage,
      in_mat: z.boolean(),
      reviews,
      no_naloxone: z.boolean(),
      last_naloxone: z.string().nullable(),
      open_actions: z.number().int(),
      overdue_actions: z.number().int(),
      next_action_due: z.string().nullable(),
      next_action_overdue: z.boolean(),
    }),
  ),
});

export const openActionsResponse = z.object({
  date: z.string(),
  actions: z.array(careAction.extend({ service_id: z.string(), overdue: z.boolean() })),
});

export const advisoriesResponse = z.object({
  date: z.string(),
  since: z.string(),
  service_id: z.string().nullable(),
  services: serviceList,
  advisories: z.array(advisory.extend({ person_id: z.string(), service_id: z.string(), medication: z.string().nullable(), current: z.boolean() })),
});

const windowSchema = z.object({ amount: z.number().int().min(0).max(44_640), unit: z.enum(['days', 'months']) });
const tierCondition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anyCritical') }),
  z.object({ kind: z.literal('countAtLeast'), min: z.number().int().min(0) }),
  z.object({ kind: z.literal('countBetween'), min: z.number().int().min(0), max: z.number().int().min(0) }),
  z.object({ kind: z.literal('anyOf'), codes: z.array(flagCode) }),
  z.object({ kind: z.literal('allOf'), codes: z.array(flagCode) }),
  z.object({ kind: z.literal('always') }),
]);
const tierRule = z.object({ id: z.string().min(1).max(100), tier, when: tierCondition, text: z.string().max(500).optional() });

/**
 * The settings an administrator changes in the app: windows, thresholds and tier rules.
 * Every key is optional (absent = the default of domain.md §2). Lists of codes stay as
 * shipped (change them with the same body if needed; they are validated as strings).
 */
export const riskConfigOverrides = z
  .object({
    evidenceWindow: windowSchema,
    overdoseWindow: windowSchema,
    overdoseCriticalWindow: windowSchema,
    releaseWindow: windowSchema,
    releaseCriticalWindow: windowSchema,
    inductionWindow: windowSchema,
    episodeEndedWindow: windowSchema,
    potentOpioidWindow: windowSchema,
    potentOpioidCritical: z.boolean(),
    healthWindow: windowSchema,
    naloxoneWindow: windowSchema,
    housingTopWindow: windowSchema.nullable(),
    alcoholDaysAbove: z.number().min(0).max(28),
    alcoholUnitsAbove: z.number().min(0).max(1000),
    uncountedFlags: z.array(flagCode),
    tierRules: z.array(tierRule).min(1).max(20),
  })
  .partial()
  .strict();

export const riskConfigResponse = z.object({
  config: z.record(z.string(), z.unknown()),
  overrides: z.record(z.string(), z.unknown()),
  defaults: z.record(z.string(), z.unknown()),
  rules: z.array(firedRule),
  problems: z.array(z.string()),
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable(),
});
