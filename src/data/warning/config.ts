/**
 * Early-warning configuration: the indicators monitored per area, the method and count
 * triggers of each, the step rules, the adjacency of areas and the schedule. Every value
 * lives in the settings table (one key each) with the defaults below; a bad stored value
 * is reported, never silently replaced.
 */
import { z } from 'zod';
import { NOUFAILY_DEFAULTS } from '../../domain/detection/farrington';
import { MONITOR_METHODS, type MonitorMethod, type NamedTrigger } from '../../domain/detection/monitor';
import type { Noun } from '../../domain/detection/series';
import { DEFAULT_STEP_RULES, type StepCondition, type StepRule } from '../../domain/ldis/steps';
import type { Queryable } from '../db';
import { getSetting, setSetting } from '../settings';

export const INDICATOR_IDS = [
  'death',
  'non_fatal_overdose',
  'ae_attendance',
  'ambulance_callout',
  'naloxone_administration',
  'naloxone_supply',
  'nitazene_positive',
  'prison_event',
] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

export interface IndicatorInfo {
  id: IndicatorId;
  label: string;
  noun: Noun;
  /** where the counts come from, in words */
  source: string;
}

/** domain.md §3.1: what is monitored, with baselines. */
export const INDICATORS: Readonly<Record<IndicatorId, IndicatorInfo>> = Object.freeze({
  death: {
    id: 'death',
    label: 'Suspected drug-related deaths',
    noun: { singular: 'suspected drug-related death', plural: 'suspected drug-related deaths' },
    source: 'LDIS reports of deaths (police, coroner)',
  },
  non_fatal_overdose: {
    id: 'non_fatal_overdose',
    label: 'Non-fatal overdoses',
    noun: { singular: 'non-fatal overdose', plural: 'non-fatal overdoses' },
    source: 'LDIS reports of non-fatal overdoses (treatment, hostels, outreach, pharmacies)',
  },
  ae_attendance: {
    id: 'ae_attendance',
    label: 'Drug-related A&E attendances',
    noun: { singular: 'drug-related A&E attendance', plural: 'drug-related A&E attendances' },
    source: 'LDIS reports from emergency departments',
  },
  ambulance_callout: {
    id: 'ambulance_callout',
    label: 'Ambulance call-outs to overdoses',
    noun: { singular: 'ambulance call-out', plural: 'ambulance call-outs' },
    source: 'LDIS reports from the ambulance service, or its imported weekly counts',
  },
  naloxone_administration: {
    id: 'naloxone_administration',
    label: 'Naloxone use (crews, peers, family, professionals)',
    noun: { singular: 'naloxone administration', plural: 'naloxone administrations' },
    source: 'LDIS reports of naloxone given',
  },
  naloxone_supply: {
    id: 'naloxone_supply',
    label: 'Take-home naloxone supplied',
    noun: { singular: 'naloxone supply', plural: 'naloxone supplies' },
    source: 'naloxone supplies (the area recorded on the supply, else the person’s service)',
  },
  nitazene_positive: {
    id: 'nitazene_positive',
    label: 'Nitazene-positive drug checks and tests',
    noun: { singular: 'nitazene-positive result', plural: 'nitazene-positive results' },
    source: 'LDIS reports with a nitazene found: drug checks, forensics, toxicology',
  },
  prison_event: {
    id: 'prison_event',
    label: 'Prison drug finds and drug-related events',
    noun: { singular: 'prison drug event', plural: 'prison drug events' },
    source: 'LDIS reports from prisons',
  },
});

export function isIndicator(v: string): v is IndicatorId {
  return (INDICATOR_IDS as readonly string[]).includes(v);
}

const triggerSchema = z.object({
  id: z.string().min(1, 'Give the trigger a name').max(80),
  threshold: z.number('Enter the number of events as a number').int('The number of events must be a whole number').min(1, 'The number of events must be 1 or more').max(1000, 'The number of events must be 1,000 or fewer'),
  window: z
    .object({
      days: z.number('Enter the days as a number').int('Days must be a whole number').min(0, 'Days cannot be negative').max(366, 'Days must be 366 or fewer').optional(),
      hours: z.number('Enter the hours as a number').int('Hours must be a whole number').min(0, 'Hours cannot be negative').max(8784, 'Hours must be 8,784 or fewer').optional(),
    })
    .refine((w) => (w.days ?? 0) * 24 + (w.hours ?? 0) > 0, 'The window must be longer than 0 (give days or hours)'),
  alignment: z.enum(['sliding', 'calendar']).optional(),
  description: z.string().max(200).optional(),
});

/**
 * Farrington flexible parameters (docs/detection.md; defaults NOUFAILY_DEFAULTS). The
 * messages are shown to the coordinator on the settings page.
 */
export const farringtonSettingsSchema = z
  .object({
    b: z.number('Enter the years of history as a number').int('Years of history must be a whole number').min(1, 'Years of history (b) must be between 1 and 10').max(10, 'Years of history (b) must be between 1 and 10').optional(),
    w: z.number('Enter the window half-width as a number').int('The window half-width must be a whole number').min(0, 'The window half-width (w) must be between 0 and 10 weeks').max(10, 'The window half-width (w) must be between 0 and 10 weeks').optional(),
    alpha: z.number('Enter alpha as a number').gt(0, 'Alpha must be more than 0 and less than 0.5').lt(0.5, 'Alpha must be more than 0 and less than 0.5').optional(),
    reweight: z.boolean().optional(),
    weightsThreshold: z.number('Enter the reweighting threshold as a number').gt(0, 'The reweighting threshold must be more than 0 and at most 10').max(10, 'The reweighting threshold must be more than 0 and at most 10').optional(),
    trend: z.boolean().optional(),
    pThresholdTrend: z.number('Enter the trend p-value threshold as a number').min(0, 'The trend p-value threshold must be between 0 and 1').max(1, 'The trend p-value threshold must be between 0 and 1').optional(),
    noPeriods: z.number('Enter the seasonal levels as a number').int('Seasonal levels must be a whole number').min(1, 'Seasonal levels (noPeriods) must be between 1 and 52').max(52, 'Seasonal levels (noPeriods) must be between 1 and 52').optional(),
    pastWeeksNotIncluded: z.number('Enter the recent weeks left out as a number').int('Recent weeks left out must be a whole number').min(0, 'Recent weeks left out must be between 0 and 104').max(104, 'Recent weeks left out must be between 0 and 104').optional(),
    powertrans: z.enum(['none', '1/2', '2/3'], 'Choose a power transformation').optional(),
    thresholdMethod: z.enum(['nbPlugin', 'muan', 'delta'], 'Choose how the threshold is computed').optional(),
    limit54: z
      .tuple([
        z.number('Enter the minimum cases as a number').int('The minimum cases must be a whole number').min(0, 'The minimum cases must be between 0 and 1,000').max(1000, 'The minimum cases must be between 0 and 1,000'),
        z.number('Enter the weeks for the minimum as a number').int('The weeks for the minimum must be a whole number').min(1, 'The weeks for the minimum must be between 1 and 52').max(52, 'The weeks for the minimum must be between 1 and 52'),
      ])
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    // The weeks between two reference windows (at least 52 − (2w + 1)) are split into
    // noPeriods − 1 blocks; more levels than weeks is an error in the detection.
    const w = f.w ?? NOUFAILY_DEFAULTS.w;
    const levels = f.noPeriods ?? NOUFAILY_DEFAULTS.noPeriods;
    if (levels > 1 && levels - 1 > 52 - (2 * w + 1)) {
      ctx.addIssue({ code: 'custom', path: ['noPeriods'], message: `Seasonal levels (noPeriods) must be at most ${52 - 2 * w} with a window half-width of ${w} weeks` });
    }
  });

/** EARS parameters (defaults: baseline 7, the package's alpha, sd floor 1 in monitoring). */
export const earsSettingsSchema = z
  .object({
    baseline: z.number('Enter the baseline weeks as a number').int('Baseline weeks must be a whole number').min(3, 'Baseline weeks must be between 3 and 52').max(52, 'Baseline weeks must be between 3 and 52').optional(),
    alpha: z.number('Enter alpha as a number').gt(0, 'Alpha must be more than 0 and less than 0.5').lt(0.5, 'Alpha must be more than 0 and less than 0.5').nullable().optional(),
    minSigma: z.number('Enter the smallest standard deviation as a number').min(0, 'The smallest standard deviation must be between 0 and 100').max(100, 'The smallest standard deviation must be between 0 and 100').optional(),
  })
  .strict();

export const indicatorSettingsSchema = z.object({
  method: z.enum(MONITOR_METHODS as unknown as [MonitorMethod, ...MonitorMethod[]], 'Choose a method'),
  farrington: farringtonSettingsSchema.optional(),
  ears: earsSettingsSchema.optional(),
  triggers: z
    .array(triggerSchema)
    .max(10, 'At most 10 count triggers per indicator')
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((t, i) => {
        if (seen.has(t.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `Two count triggers are named ${t.id}: give each its own name` });
        seen.add(t.id);
      });
    }),
});
export type IndicatorSettings = z.infer<typeof indicatorSettingsSchema>;

export const monitoringSettingsSchema = z.object({
  /** weeks evaluated and shown per series (the latest N) */
  evaluateWeeks: z.number().int().min(1).max(520),
  /** an alarm in the latest N weeks is "recent" (overview, notifications) */
  recentWeeks: z.number().int().min(1).max(52),
  indicators: z.record(z.string(), indicatorSettingsSchema).superRefine((r, ctx) => {
    for (const k of Object.keys(r)) if (!isIndicator(k)) ctx.addIssue({ code: 'custom', path: [k], message: `There is no indicator ${k}` });
  }),
});
export type MonitoringSettings = z.infer<typeof monitoringSettingsSchema>;

const t = (id: string, threshold: number, window: { days?: number; hours?: number }): NamedTrigger => ({ id, threshold, window });

/** Defaults (docs/detection.md, "Monitoring areas"). */
export const DEFAULT_MONITORING: MonitoringSettings = {
  evaluateWeeks: 104,
  recentWeeks: 4,
  indicators: {
    death: { method: 'auto', triggers: [t('deaths-24h', 2, { hours: 24 }), t('deaths-7d', 3, { days: 7 })] },
    non_fatal_overdose: { method: 'auto', triggers: [t('overdoses-24h', 3, { hours: 24 })] },
    ae_attendance: { method: 'auto', triggers: [] },
    ambulance_callout: { method: 'auto', triggers: [t('callouts-24h', 3, { hours: 24 })] },
    naloxone_administration: { method: 'auto', triggers: [t('naloxone-24h', 3, { hours: 24 })] },
    naloxone_supply: { method: 'auto', triggers: [] },
    nitazene_positive: { method: 'none', triggers: [t('nitazene-any', 1, { days: 1 })] },
    prison_event: { method: 'auto', triggers: [] },
  },
};

export const scheduleSettingsSchema = z.object({
  enabled: z.boolean(),
  /** how often the server looks for new data (an import or a report) */
  checkSeconds: z.number().int().min(5).max(86_400),
  /** a full run at least this often, new data or not */
  intervalMinutes: z.number().int().min(1).max(10_080),
});
export type ScheduleSettings = z.infer<typeof scheduleSettingsSchema>;
export const DEFAULT_SCHEDULE: ScheduleSettings = { enabled: true, checkSeconds: 60, intervalMinutes: 60 };

// Messages are shown on the settings page beside the field (a discriminated union reports
// the field of the matching kind, not "no union member matched").
const withinDays = z.number('Enter the number of days as a number').int('The number of days must be a whole number').min(1, 'The number of days must be 1 or more').max(366, 'The number of days must be 366 or fewer');
const atLeast = z.number('Enter “at least” as a number').int('“At least” must be a whole number').min(1, '“At least” must be 1 or more');
const conditionSchema: z.ZodType<StepCondition> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('all'), of: z.array(conditionSchema).min(1) }),
    z.object({ kind: z.literal('any'), of: z.array(conditionSchema).min(1) }),
    z.object({
      kind: z.literal('drugCheckPositive'),
      withinDays,
      methods: z.array(z.enum(['test_strip', 'drug_checking_service', 'police_forensic', 'wedinos', 'laboratory', 'toxicology'])).optional(),
      atLeast: atLeast.optional(),
    }),
    z.object({ kind: z.literal('caseMatches'), withinDays, minLevel: z.enum(['suspected', 'probable', 'confirmed']), atLeast }),
    z.object({ kind: z.literal('countTrigger'), withinDays, indicators: z.array(z.string()).optional(), triggerIds: z.array(z.string()).optional() }),
    z.object({ kind: z.literal('exceedance'), withinDays, indicators: z.array(z.string()).min(1) }),
  ]),
);
export const stepRulesSchema = z.array(
  z.object({ id: z.string().min(1), step: z.union([z.literal(2), z.literal(3)]), text: z.string().trim().min(1, 'Describe the rule in words').max(300), when: conditionSchema }),
);

/** area code → neighbouring areas (read both ways) */
export const adjacencySchema = z.record(z.string(), z.array(z.string()));
/** area code → display name, for areas Beacon has no name for */
export const areaNamesSchema = z.record(z.string(), z.string());

export const SETTING_KEYS = {
  monitoring: 'warning.monitoring',
  stepRules: 'warning.step_rules',
  adjacency: 'warning.adjacency',
  schedule: 'warning.schedule',
  areaNames: 'warning.area_names',
} as const;

export class WarningSettingsError extends Error {
  override name = 'WarningSettingsError';
}

async function read<T>(db: Queryable, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const raw = await getSetting<unknown>(db, key);
  if (raw === null) return structuredClone(fallback);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new WarningSettingsError(`setting ${key} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface WarningSettings {
  monitoring: MonitoringSettings;
  stepRules: StepRule[];
  adjacency: Record<string, string[]>;
  schedule: ScheduleSettings;
  areaNames: Record<string, string>;
}

export async function loadWarningSettings(db: Queryable): Promise<WarningSettings> {
  const monitoring = await read(db, SETTING_KEYS.monitoring, monitoringSettingsSchema, DEFAULT_MONITORING);
  // Indicators not named in a stored setting keep their defaults.
  monitoring.indicators = { ...DEFAULT_MONITORING.indicators, ...monitoring.indicators };
  return {
    monitoring,
    stepRules: await read(db, SETTING_KEYS.stepRules, stepRulesSchema, DEFAULT_STEP_RULES.map((r) => ({ ...r }))),
    adjacency: await read(db, SETTING_KEYS.adjacency, adjacencySchema, {}),
    schedule: await read(db, SETTING_KEYS.schedule, scheduleSettingsSchema, DEFAULT_SCHEDULE),
    areaNames: await read(db, SETTING_KEYS.areaNames, areaNamesSchema, {}),
  };
}

export const warningSettingsPatchSchema = z
  .object({
    monitoring: monitoringSettingsSchema.optional(),
    stepRules: stepRulesSchema.optional(),
    adjacency: adjacencySchema.optional(),
    schedule: scheduleSettingsSchema.optional(),
    areaNames: areaNamesSchema.optional(),
  })
  .strict();
export type WarningSettingsPatch = z.infer<typeof warningSettingsPatchSchema>;

/** Stores the parts given (each validated by the schema above). */
export async function saveWarningSettings(db: Queryable, patch: WarningSettingsPatch, by: string): Promise<void> {
  for (const k of Object.keys(patch) as (keyof WarningSettingsPatch)[]) {
    const v = patch[k];
    if (v !== undefined) await setSetting(db, SETTING_KEYS[k], v, by);
  }
}
