import { z } from 'zod';
import { emailPreferenceSchema } from '../../../data/warning/email';
import { INDICATOR_IDS, warningSettingsPatchSchema } from '../../../data/warning/config';

export const emailPreferenceBody = emailPreferenceSchema;

const num = z.number().nullable();
const step = z.union([z.literal(1), z.literal(2), z.literal(3)]);

const proposalSchema = z.object({
  area: z.string(),
  asOf: z.string(),
  step,
  reasons: z.array(z.object({ ruleId: z.string(), step, text: z.string(), evidence: z.array(z.string()) })),
  summary: z.string(),
});

export const indicatorSummarySchema = z.object({
  indicator: z.enum(INDICATOR_IDS),
  label: z.string(),
  method: z.string(),
  latest_period: z.string().nullable(),
  latest_count: num,
  latest_expected: num,
  latest_upper: num,
  latest_alarm: z.boolean(),
  recent_alarms: z.number().int(),
  triggers_firing: z.number().int(),
});

export const runSchema = z.object({
  id: z.number().int(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  trigger: z.string(),
  requested_by: z.string(),
  as_of: z.string(),
  status: z.string(),
  series_total: z.number().int(),
  series_computed: z.number().int(),
  alarms_new: z.number().int(),
  duration_ms: z.number().int().nullable(),
  error: z.string().nullable(),
});

export const overviewResponse = z.object({
  as_of: z.string().nullable(),
  last_run: runSchema.nullable(),
  recent_weeks: z.number().int(),
  areas: z.array(
    z.object({
      area: z.string(),
      name: z.string(),
      step,
      since: z.string().nullable(),
      pending: proposalSchema.nullable(),
      pending_since: z.string().nullable(),
      recent_alarms: z.number().int(),
      triggers_firing: z.number().int(),
      indicators: z.array(indicatorSummarySchema),
    }),
  ),
  /** areas whose step the caller may decide */
  decidable: z.array(z.string()).nullable(),
});

const weekSchema = z.object({
  period_start: z.string(),
  count: z.number(),
  expected: num,
  upper_bound: num,
  alarm: z.boolean(),
  method: z.string().nullable(),
  reason: z.string(),
  triggers: z.array(z.string()),
});

export const seriesParams = z.object({ area: z.string().min(1).max(20), indicator: z.string().min(1).max(40) });
export const areaParams = z.object({ area: z.string().min(1).max(20) });

export const seriesResponse = z.object({
  area: z.string(),
  name: z.string(),
  indicator: z.enum(INDICATOR_IDS),
  label: z.string(),
  source: z.string(),
  method: z.string(),
  method_note: z.string(),
  as_of: z.string(),
  updated_at: z.string(),
  weeks: z.array(weekSchema),
  episodes: z.array(z.object({ triggerId: z.string(), description: z.string(), firedAt: z.string(), week: z.string(), peakCount: z.number() })),
  triggers: z.array(z.object({ id: z.string(), description: z.string() })),
});

const activity = z.object({ text: z.string(), items: z.array(z.string()).readonly().optional(), fromStep: step });
const guideSchema = z.object({
  heading: z.string(),
  agencies: z.array(z.object({ agency: z.string(), activities: z.array(activity) })),
  rhythm: z.object({
    step,
    pinReportEveryDays: z.number(),
    requestForInformationEveryDays: z.number().nullable(),
    summary: z.string(),
    seed: z.array(z.string()).readonly(),
  }),
});

export const areaResponse = z.object({
  area: z.string(),
  name: z.string(),
  step,
  since: z.string().nullable(),
  pending: proposalSchema.nullable(),
  pending_since: z.string().nullable(),
  last_proposal: proposalSchema.nullable(),
  history: z.array(
    z.object({
      id: z.number(),
      kind: z.enum(['initial', 'proposed', 'confirmed', 'overridden']),
      at: z.string(),
      by: z.string().nullable(),
      step,
      previousStep: step,
      reason: z.string().nullable(),
      proposal: proposalSchema.nullable(),
    }),
  ),
  neighbours: z.array(z.object({ area: z.string(), name: z.string(), step })),
  guide: guideSchema,
  pending_guide: guideSchema.nullable(),
  indicators: z.array(indicatorSummarySchema),
  can_decide: z.boolean(),
});

export const decideBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('confirm'), note: z.string().trim().max(2000).optional() }),
  z.object({ action: z.literal('override'), step, reason: z.string().trim().min(1, 'Give the reason for setting the step').max(2000) }),
]);

export const notificationsQuery = z.object({ unread: z.enum(['1', '0']).optional() });
export const notificationsResponse = z.object({
  notifications: z.array(
    z.object({
      id: z.number(),
      created_at: z.string(),
      area: z.string(),
      kind: z.string(),
      about_area: z.string(),
      title: z.string(),
      body: z.string(),
      read_at: z.string().nullable(),
      read_by: z.string().nullable(),
    }),
  ),
  unread: z.number().int(),
});
export const readBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) });

export const runBody = z.object({
  as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date YYYY-MM-DD').optional(),
  force: z.boolean().optional(),
});
export const runResponse = z.object({
  run_id: z.number().int(),
  as_of: z.string(),
  series_total: z.number().int(),
  series_computed: z.number().int(),
  alarms_new: z.number().int(),
  duration_ms: z.number().int(),
});
export const runsResponse = z.object({ runs: z.array(runSchema) });

export const settingsBody = warningSettingsPatchSchema;
export const settingsResponse = z.object({
  monitoring: z.record(z.string(), z.unknown()),
  stepRules: z.array(z.record(z.string(), z.unknown())),
  adjacency: z.record(z.string(), z.array(z.string())),
  schedule: z.object({ enabled: z.boolean(), checkSeconds: z.number(), intervalMinutes: z.number() }),
  areaNames: z.record(z.string(), z.string()),
  indicators: z.array(z.object({ id: z.string(), label: z.string(), source: z.string() })),
  /** the documented defaults (docs/detection.md) */
  defaults: z.object({
    farrington: z.record(z.string(), z.unknown()),
    ears: z.record(z.string(), z.unknown()),
    monitoring: z.record(z.string(), z.unknown()),
    stepRules: z.array(z.record(z.string(), z.unknown())),
  }),
  /** who last changed each stored setting, and when */
  changed: z.array(z.object({ key: z.string(), at: z.string(), by: z.string().nullable() })),
  /** areas with early-warning results (for adjacency) */
  areas: z.array(z.object({ area: z.string(), name: z.string() })),
});
export const settingsPutResponse = settingsResponse.extend({
  /** the detection run started by the change (null: nothing that affects detection changed) */
  rerun: z
    .object({
      run_id: z.number().int().nullable(),
      series_computed: z.number().int(),
      series_total: z.number().int(),
      alarms_new: z.number().int(),
      error: z.string().nullable(),
    })
    .nullable(),
});

export const emailPreferenceResponse = z.object({ email: z.string().nullable(), earlyWarning: z.boolean() });

export const countsBody = z.object({
  source: z.string().trim().min(1).max(200),
  rows: z.array(z.unknown()).min(1).max(100_000),
});
export const countsResponse = z.object({ written: z.number().int() });

export const caseloadResponse = z.object({
  date: z.string().nullable(),
  areas: z.array(z.object({ area: z.string(), name: z.string(), step: z.union([z.literal(2), z.literal(3)]), since: z.string(), summary: z.string().nullable() })),
  people: z.array(
    z.object({
      person_id: z.string(),
      service_id: z.string(),
      area: z.string(),
      tier: z.enum(['high', 'medium', 'low']),
      alert_flags: z.array(z.string()),
      critical: z.array(z.string()),
      reasons: z.array(z.string()),
    }),
  ),
});
