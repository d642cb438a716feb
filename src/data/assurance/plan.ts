/**
 * The preparedness plan on the database: the partner directory, the plan with every
 * version kept (who changed what), the triggers read from the early-warning
 * configuration (never copied into the plan), and trial runs that start a drill in the
 * LDIS (exercise reports, kept out of real counts) and record what happened.
 */
import { z } from 'zod';
import { diffDocuments, defaultPlanContent, planContentSchema, planGaps, trialRunReportSchema, type FieldChange, type PlanContent } from '../../domain/assurance';
import { describeTrigger } from '../../domain/detection/monitor';
import { DEFAULT_STEP_RULES, type StepRule } from '../../domain/ldis/steps';
import type { Db, Queryable } from '../db';
import { submitReport } from '../ldis/reports';
import { INDICATORS, isIndicator, loadWarningSettings } from '../warning/config';
import { AssuranceError } from './errors';

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new AssuranceError('invalid', `${what} is not valid`, r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message })));
  return r.data;
}

// ---------------------------------------------------------------------------------------
// Partner directory
// ---------------------------------------------------------------------------------------

export interface Partner {
  id: number;
  organisation: string;
  agency_type: string;
  contact_name: string;
  contact_role: string;
  email: string;
  phone: string;
  pin_member: boolean;
  ldis_partner: string | null;
  active: boolean;
}

export const partnerInputSchema = z.strictObject({
  organisation: z.string().trim().min(1, 'name the organisation').max(200),
  agency_type: z.string().trim().max(200).default(''),
  contact_name: z.string().trim().max(200).default(''),
  contact_role: z.string().trim().max(200).default(''),
  email: z.union([z.literal(''), z.string().trim().email('an email address such as name@example.org').max(320)]).default(''),
  phone: z.string().trim().max(40).default(''),
  pin_member: z.boolean().default(false),
  ldis_partner: z.string().trim().max(100).nullable().optional(),
  active: z.boolean().default(true),
});

const PARTNER_COLUMNS = 'id::int AS id, organisation, agency_type, contact_name, contact_role, email, phone, pin_member, ldis_partner, active';

export async function listPartners(db: Queryable): Promise<Partner[]> {
  return db.query<Partner>(`SELECT ${PARTNER_COLUMNS} FROM partner_directory ORDER BY active DESC, organisation, id`);
}

export async function addPartner(db: Queryable, body: unknown, by: string): Promise<Partner> {
  const p = parse(partnerInputSchema, body, 'The partner');
  const r = await db.query<Partner>(
    `INSERT INTO partner_directory (organisation, agency_type, contact_name, contact_role, email, phone, pin_member, ldis_partner, active, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${PARTNER_COLUMNS}`,
    [p.organisation, p.agency_type, p.contact_name, p.contact_role, p.email, p.phone, p.pin_member, p.ldis_partner || null, p.active, by],
  );
  return r[0]!;
}

export async function updatePartner(db: Queryable, id: number, body: unknown, by: string): Promise<Partner> {
  const p = parse(partnerInputSchema, body, 'The partner');
  const r = await db.query<Partner>(
    `UPDATE partner_directory SET organisation = $2, agency_type = $3, contact_name = $4, contact_role = $5, email = $6, phone = $7, pin_member = $8,
       ldis_partner = $9, active = $10, updated_by = $11, updated_at = now() WHERE id = $1 RETURNING ${PARTNER_COLUMNS}`,
    [id, p.organisation, p.agency_type, p.contact_name, p.contact_role, p.email, p.phone, p.pin_member, p.ldis_partner || null, p.active, by],
  );
  if (!r[0]) throw new AssuranceError('not_found', `No partner ${id}`);
  return r[0];
}

/**
 * Removes a partner from the directory. Refused while the current version of the plan
 * invites it or circulates to it (take it off the plan first, so no saved plan names a
 * partner that is gone); earlier versions keep the id and show it as a removed partner.
 */
export async function deletePartner(db: Db, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const p = await planRow(tx);
    if (p) {
      const cur = await tx.query<{ content: PlanContent }>('SELECT content FROM assurance_plan_versions WHERE plan_id = $1 AND version = $2', [p.id, p.version]);
      const c = cur[0]?.content;
      if (c && (c.invitees.includes(id) || c.circulation.includes(id))) {
        throw new AssuranceError('conflict', 'This partner is invited to or on the circulation list of the current plan: take it off the plan first');
      }
    }
    const r = await tx.query('DELETE FROM partner_directory WHERE id = $1 RETURNING id', [id]);
    if (r.length === 0) throw new AssuranceError('not_found', `No partner ${id}`);
  });
}

// ---------------------------------------------------------------------------------------
// Triggers, read from early warning
// ---------------------------------------------------------------------------------------

export interface PlanTriggers {
  /** Where they come from. */
  source: 'early-warning settings' | 'defaults (early-warning settings not readable)';
  countTriggers: Array<{ indicator: string; indicatorLabel: string; id: string; description: string }>;
  exceedance: Array<{ indicator: string; indicatorLabel: string; method: string }>;
  stepRules: Array<Pick<StepRule, 'id' | 'step' | 'text'>>;
  areaSteps: Array<{ area: string; step: number; since: string }>;
  problem: string | null;
}

export async function planTriggers(db: Queryable): Promise<PlanTriggers> {
  try {
    const s = await loadWarningSettings(db);
    const countTriggers: PlanTriggers['countTriggers'] = [];
    const exceedance: PlanTriggers['exceedance'] = [];
    for (const [indicator, cfg] of Object.entries(s.monitoring.indicators)) {
      const info = isIndicator(indicator) ? INDICATORS[indicator] : null;
      const label = info?.label ?? indicator;
      for (const t of cfg.triggers) {
        countTriggers.push({ indicator, indicatorLabel: label, id: t.id, description: t.description ?? (info ? describeTrigger(t, info.noun) : `${t.threshold} in the window`) });
      }
      if (cfg.method !== 'none') exceedance.push({ indicator, indicatorLabel: label, method: cfg.method });
    }
    const steps = await db.query<{ area: string; current_step: number; since: string }>('SELECT area, current_step, since FROM warning_steps ORDER BY area');
    return {
      source: 'early-warning settings',
      countTriggers,
      exceedance,
      stepRules: s.stepRules.map((r) => ({ id: r.id, step: r.step, text: r.text })),
      areaSteps: steps.map((r) => ({ area: r.area, step: r.current_step, since: r.since })),
      problem: null,
    };
  } catch (err) {
    return {
      source: 'defaults (early-warning settings not readable)',
      countTriggers: [],
      exceedance: [],
      stepRules: DEFAULT_STEP_RULES.map((r) => ({ id: r.id, step: r.step, text: r.text })),
      areaSteps: [],
      problem: err instanceof Error ? err.message : 'the early-warning settings could not be read',
    };
  }
}

// ---------------------------------------------------------------------------------------
// The plan and its versions
// ---------------------------------------------------------------------------------------

export interface PlanVersionSummary {
  version: number;
  changed_by: string;
  changed_at: string;
  note: string;
  changes: FieldChange[];
}

export interface TrialRun {
  id: number;
  plan_version: number;
  scenario: string;
  report_ids: string[];
  started_by: string;
  started_at: string;
  what_happened: string | null;
  improvements: string | null;
  recorded_by: string | null;
  recorded_at: string | null;
  closed_by: string | null;
  closed_at: string | null;
}

export interface PlanView {
  id: number;
  version: number;
  content: PlanContent;
  changed_by: string;
  changed_at: string;
  versions: PlanVersionSummary[];
  partners: Partner[];
  triggers: PlanTriggers;
  gaps: string[];
  trial_runs: TrialRun[];
}

async function planRow(db: Queryable): Promise<{ id: number; version: number } | null> {
  const r = await db.query<{ id: number; version: number }>('SELECT id::int AS id, version FROM assurance_plans ORDER BY id LIMIT 1');
  return r[0] ?? null;
}

const RUN_COLUMNS = 'id::int AS id, plan_version, scenario, report_ids, started_by, started_at, what_happened, improvements, recorded_by, recorded_at, closed_by, closed_at';

/** The partnership's plan, or null when none has been written. */
export async function getPlan(db: Queryable, version?: number): Promise<PlanView | null> {
  const p = await planRow(db);
  if (!p) return null;
  const v = version ?? p.version;
  const rows = await db.query<{ content: PlanContent; changed_by: string; changed_at: string }>(
    'SELECT content, changed_by, changed_at FROM assurance_plan_versions WHERE plan_id = $1 AND version = $2',
    [p.id, v],
  );
  const cur = rows[0];
  if (!cur) return null;
  const versions = await db.query<PlanVersionSummary>(
    'SELECT version, changed_by, changed_at, note, changes FROM assurance_plan_versions WHERE plan_id = $1 ORDER BY version DESC',
    [p.id],
  );
  const triggers = await planTriggers(db);
  const runs = await db.query<TrialRun>(
    `SELECT ${RUN_COLUMNS} FROM assurance_trial_runs WHERE plan_id = $1 ORDER BY started_at DESC, id DESC`,
    [p.id],
  );
  return {
    id: p.id,
    version: v,
    content: cur.content,
    changed_by: cur.changed_by,
    changed_at: cur.changed_at,
    versions,
    partners: await listPartners(db),
    triggers,
    gaps: planGaps(cur.content, triggers.countTriggers.length + triggers.exceedance.length),
    trial_runs: runs,
  };
}

export const planSaveSchema = z.strictObject({
  content: planContentSchema,
  note: z.string().trim().max(1000).default(''),
  /** The version the editor started from: a save over someone else's newer version is refused. */
  base_version: z.number().int().min(0),
});

/** A new plan from the seed's starting content (Appendix 3, §4 audiences). */
export async function createPlan(db: Db, by: string, area = ''): Promise<number> {
  return db.transaction(async (tx) => {
    if (await planRow(tx)) throw new AssuranceError('conflict', 'There is already a plan: edit it instead');
    const r = await tx.query<{ id: number }>('INSERT INTO assurance_plans (area, created_by) VALUES ($1, $2) RETURNING id::int AS id', [area, by]);
    const id = r[0]!.id;
    await tx.query(
      `INSERT INTO assurance_plan_versions (plan_id, version, content, note, changed_by) VALUES ($1, 1, $2::jsonb, $3, $4)`,
      [id, JSON.stringify(defaultPlanContent('Synthetic opioid preparedness plan', area)), 'Started from seed 000 (Appendix 3 activities, §4 comms audiences)', by],
    );
    return id;
  });
}

/** Saves a new version of the plan, recording what changed and who changed it. */
export async function savePlan(db: Db, body: unknown, by: string): Promise<number> {
  const input = parse(planSaveSchema, body, 'The plan');
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number; version: number }>('SELECT id::int AS id, version FROM assurance_plans ORDER BY id LIMIT 1 FOR UPDATE');
    const p = rows[0];
    if (!p) throw new AssuranceError('not_found', 'There is no plan yet: start one first');
    if (input.base_version !== p.version) throw new AssuranceError('conflict', `The plan was changed (now version ${p.version}) since you opened it: reload and make your change again`);
    const ids = [...new Set([...input.content.invitees, ...input.content.circulation])];
    if (ids.length) {
      const found = await tx.query<{ id: number }>('SELECT id::int AS id FROM partner_directory WHERE id = ANY($1::bigint[])', [ids]);
      const missing = ids.filter((i) => !found.some((f) => f.id === i));
      if (missing.length) throw new AssuranceError('invalid', 'The plan names partners that are not in the directory', [{ field: 'content.invitees', message: `unknown partner ids: ${missing.join(', ')}` }]);
    }
    const prev = await tx.query<{ content: PlanContent }>('SELECT content FROM assurance_plan_versions WHERE plan_id = $1 AND version = $2', [p.id, p.version]);
    const changes = diffDocuments(prev[0]?.content ?? {}, input.content);
    if (changes.length === 0) throw new AssuranceError('invalid', 'Nothing has changed', [{ field: 'content', message: 'make a change before saving a new version' }]);
    const next = p.version + 1;
    await tx.query(
      'INSERT INTO assurance_plan_versions (plan_id, version, content, changes, note, changed_by) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6)',
      [p.id, next, JSON.stringify(input.content), JSON.stringify(changes), input.note, by],
    );
    await tx.query('UPDATE assurance_plans SET version = $2, area = $3 WHERE id = $1', [p.id, next, input.content.area]);
    return next;
  });
}

// ---------------------------------------------------------------------------------------
// Trial runs
// ---------------------------------------------------------------------------------------

export const trialRunInputSchema = z.strictObject({
  scenario: z.string().trim().min(1, 'describe the scenario').max(2000),
  local_authority: z.string().regex(/^[EWSN]\d{8}$/, 'an ONS local authority code such as E08000025'),
  reports: z.number().int().min(1, 'at least one drill report').max(20, 'at most 20 drill reports'),
});

const DRILL_SOURCES = ['ambulance', 'emergency_department', 'police', 'hostel', 'treatment'] as const;
const DRILL_EVENTS = { ambulance: 'ambulance_callout', emergency_department: 'ae_attendance', police: 'death', hostel: 'naloxone_administration', treatment: 'non_fatal_overdose' } as const;

/**
 * Starts a trial run: the drill's reports enter the LDIS as exercise reports (labelled,
 * kept out of real counts and triggers) from a "drill" partner, so the coordinator can
 * take them through the inbox as in a real incident.
 */
export async function startTrialRun(db: Db, body: unknown, by: string, now: string = new Date().toISOString()): Promise<TrialRun> {
  const input = parse(trialRunInputSchema, body, 'The trial run');
  const p = await planRow(db);
  if (!p) throw new AssuranceError('not_found', 'There is no plan yet: start one first');
  const run = await db.query<{ id: number }>(
    'INSERT INTO assurance_trial_runs (plan_id, plan_version, scenario, started_by, started_at) VALUES ($1, $2, $3, $4, $5) RETURNING id::int AS id',
    [p.id, p.version, input.scenario, by, now],
  );
  const id = run[0]!.id;
  const reportIds: string[] = [];
  try {
    for (let i = 0; i < input.reports; i++) {
      const source = DRILL_SOURCES[i % DRILL_SOURCES.length]!;
      const r = await submitReport(db, {
        partner: 'drill',
        submittedBy: by,
        now,
        submission: {
          partner_report_id: `trial-run-${id}-${i + 1}`,
          source,
          event_type: DRILL_EVENTS[source],
          event_date: now.slice(0, 10),
          local_authority: input.local_authority,
          synthetic_opioid_suspected: 'Y',
          naloxone_doses: source === 'ambulance' || source === 'hostel' ? 2 : null,
          substances: 'heroin; suspected nitazene',
          notes: `EXERCISE – trial run ${id} of the preparedness plan: ${input.scenario}`.slice(0, 4000),
          exercise: true,
        },
      });
      reportIds.push(r.reportId);
    }
  } catch (err) {
    // Nothing half-done: remove the drill and any of its reports already in the LDIS.
    if (reportIds.length) await db.query('DELETE FROM incidents WHERE report_id = ANY($1::text[]) AND exercise', [reportIds]);
    await db.query('DELETE FROM assurance_trial_runs WHERE id = $1', [id]);
    throw err;
  }
  const rows = await db.query<TrialRun>(
    `UPDATE assurance_trial_runs SET report_ids = $2 WHERE id = $1
     RETURNING ${RUN_COLUMNS}`,
    [id, reportIds],
  );
  return rows[0]!;
}

async function trialRunRow(db: Queryable, id: number): Promise<TrialRun | null> {
  const r = await db.query<TrialRun>(`SELECT ${RUN_COLUMNS} FROM assurance_trial_runs WHERE id = $1`, [id]);
  return r[0] ?? null;
}

/** Records (or corrects) what happened in a trial run and what to improve, while it is open. */
export async function recordTrialRun(db: Queryable, id: number, body: unknown, by: string): Promise<void> {
  const input = parse(trialRunReportSchema, body, 'The trial run report');
  const run = await trialRunRow(db, id);
  if (!run) throw new AssuranceError('not_found', `No trial run ${id}`);
  if (run.closed_at) throw new AssuranceError('conflict', 'This trial run is closed');
  await db.query('UPDATE assurance_trial_runs SET what_happened = $2, improvements = $3, recorded_by = $4, recorded_at = now() WHERE id = $1 AND closed_at IS NULL', [id, input.whatHappened, input.improvements, by]);
}

/** Closes a trial run once what happened and what to improve are recorded. */
export async function closeTrialRun(db: Queryable, id: number, by: string): Promise<void> {
  const run = await trialRunRow(db, id);
  if (!run) throw new AssuranceError('not_found', `No trial run ${id}`);
  if (run.closed_at) throw new AssuranceError('conflict', 'This trial run is already closed');
  if (!run.what_happened || !run.improvements) {
    throw new AssuranceError('invalid', 'Record what happened and what to improve before closing the trial run', [{ field: 'whatHappened', message: 'record what happened and what to improve first' }]);
  }
  await db.query('UPDATE assurance_trial_runs SET closed_by = $2, closed_at = now() WHERE id = $1 AND closed_at IS NULL', [id, by]);
}

export interface TrialRunReport {
  report_id: string;
  source: string;
  received_at: string;
  status: string;
  assessed_at: string | null;
  /** Minutes from receipt to assessment (null until assessed). */
  minutes_to_assessment: number | null;
  decided_at: string | null;
  decision: string | null;
}

/** How the drill's reports stand in the LDIS now (what happened, from the workflow). */
export async function trialRunProgress(db: Queryable, reportIds: readonly string[]): Promise<TrialRunReport[]> {
  if (reportIds.length === 0) return [];
  return db.query<TrialRunReport>(
    `SELECT i.report_id, i.source, i.received_at, COALESCE(st.status, 'received') AS status, st.assessed_at,
            CASE WHEN st.assessed_at IS NULL THEN NULL ELSE round(extract(epoch FROM st.assessed_at - i.received_at) / 60)::int END AS minutes_to_assessment,
            st.decided_at, st.decision
       FROM incidents i LEFT JOIN ldis_report_state st ON st.report_id = i.report_id WHERE i.report_id = ANY($1::text[]) ORDER BY i.report_id`,
    [[...reportIds]],
  );
}

export interface TrialRunDetail extends TrialRun {
  reports: TrialRunReport[];
  summary: {
    /** Drill reports started with the run, and those still in the LDIS. */
    started: number;
    received: number;
    assessed: number;
    decided: number;
    /** Minutes from receipt to assessment: the slowest of the assessed reports, and the median. */
    max_minutes_to_assessment: number | null;
    median_minutes_to_assessment: number | null;
    /** Assessed within the 24-hour SLA (seed 000 §3.3). */
    assessed_within_24h: number;
  };
}

/** A trial run with its drill reports as they stand in the LDIS, and a summary. */
export async function getTrialRun(db: Queryable, id: number): Promise<TrialRunDetail | null> {
  const run = await trialRunRow(db, id);
  if (!run) return null;
  const reports = await trialRunProgress(db, run.report_ids);
  const times = reports.map((r) => r.minutes_to_assessment).filter((m): m is number => m !== null).sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length === 0 ? null : times.length % 2 ? times[mid]! : Math.round((times[mid - 1]! + times[mid]!) / 2);
  return {
    ...run,
    reports,
    summary: {
      started: run.report_ids.length,
      received: reports.length,
      assessed: reports.filter((r) => r.assessed_at !== null).length,
      decided: reports.filter((r) => r.decided_at !== null).length,
      max_minutes_to_assessment: times.length ? times[times.length - 1]! : null,
      median_minutes_to_assessment: median,
      assessed_within_24h: times.filter((m) => m <= 24 * 60).length,
    },
  };
}
