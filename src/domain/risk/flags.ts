/**
 * One pure function per overdose-risk flag of domain.md §2 (toolkit §6.1.3). Each takes the
 * person's records and a {@link RiskContext} (profile date + configuration + precomputed
 * window bounds) and returns the flag with its evidence, or `null`.
 *
 * Window semantics are documented once in `config.ts`: lower bound inclusive, records
 * after the profile date ignored, invalid dates ignored.
 */
import { addMonthsToDay, fromDay, toDay, type DayNumber } from './date';
import { defaultRiskConfig, type RiskConfig, type Window } from './config';
import type {
  DrugTestRow,
  Evidence,
  FlagCode,
  OgBand,
  Regime,
  RiskEventRow,
  RiskEventType,
  RiskFlag,
  RiskInput,
  TopRow,
} from './types';

// ---------------------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------------------

/** Inclusive lower bounds (day numbers) of every configured window on the profile date. */
export interface WindowBounds {
  evidence: DayNumber;
  overdose: DayNumber;
  overdoseCritical: DayNumber;
  release: DayNumber;
  releaseCritical: DayNumber;
  induction: DayNumber;
  episodeEnded: DayNumber;
  potentOpioid: DayNumber;
  /** `-Infinity` when the latest TOP may be of any age. */
  housingTop: DayNumber;
  health: DayNumber;
  naloxone: DayNumber;
}

export interface RiskContext {
  /** The profile date D, `YYYY-MM-DD`. */
  asOf: string;
  asOfDay: DayNumber;
  config: RiskConfig;
  bounds: WindowBounds;
}

/** First day (inclusive) of `window` ending on `asOfDay`. */
export function windowStart(asOfDay: DayNumber, window: Window): DayNumber {
  return window.unit === 'days' ? asOfDay - window.amount : addMonthsToDay(asOfDay, -window.amount);
}

/** Build the context for one profile date. Throws on an invalid `asOf` (a caller bug). */
export function riskContext(asOf: string, config: RiskConfig = defaultRiskConfig): RiskContext {
  const asOfDay = toDay(asOf);
  if (Number.isNaN(asOfDay)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got ${JSON.stringify(asOf)}`);
  const start = (w: Window): DayNumber => windowStart(asOfDay, w);
  return {
    asOf,
    asOfDay,
    config,
    bounds: {
      evidence: start(config.evidenceWindow),
      overdose: start(config.overdoseWindow),
      overdoseCritical: start(config.overdoseCriticalWindow),
      release: start(config.releaseWindow),
      releaseCritical: start(config.releaseCriticalWindow),
      induction: start(config.inductionWindow),
      episodeEnded: start(config.episodeEndedWindow),
      potentOpioid: start(config.potentOpioidWindow),
      housingTop: config.housingTopWindow === null ? -Infinity : start(config.housingTopWindow),
      health: start(config.healthWindow),
      naloxone: start(config.naloxoneWindow),
    },
  };
}

/**
 * How far back the flags look on the profile date, per input: records dated before these
 * days (episodes that ended before theirs) can neither raise nor shape a flag, with the
 * exceptions a caller that reads from them must still honour:
 * - `positiveTests`: `potent_opioid` looks further back than the evidence window, but only
 *   at positive tests for the potent substances: give those from `from` (null when the
 *   evidence window already reaches as far);
 * - `housing` reads the latest TOP of any age when `housingTopWindow` is unset
 *   (`latestTopAnyAge`): give the TOPs of the latest date when none is later;
 * - `no_naloxone` names the last supply of any age in its reason: give every supply
 *   (so naloxone has no day here).
 * Prescriptions are not read by the flags (only the MAT classification's facts are).
 */
export interface RiskLookback {
  tops: DayNumber;
  latestTopAnyAge: boolean;
  drugTests: DayNumber;
  positiveTests: { from: DayNumber; substances: readonly string[] } | null;
  riskEvents: DayNumber;
  episodes: DayNumber;
}

export function riskLookback(ctx: RiskContext): RiskLookback {
  const b = ctx.bounds;
  const upTo = (...days: DayNumber[]) => Math.min(ctx.asOfDay, ...days.filter((d) => Number.isFinite(d)));
  const drugTests = upTo(b.evidence);
  return {
    tops: upTo(b.evidence, b.housingTop),
    latestTopAnyAge: !Number.isFinite(b.housingTop),
    drugTests,
    positiveTests: b.potentOpioid < drugTests ? { from: b.potentOpioid, substances: ctx.config.potentOpioidSubstances } : null,
    riskEvents: upTo(b.overdose, b.overdoseCritical, b.release, b.releaseCritical, b.health),
    episodes: upTo(b.episodeEnded),
  };
}

export type FlagRule = (input: RiskInput, ctx: RiskContext) => RiskFlag | null;

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

const EMPTY: readonly never[] = [];

function inWindow(day: DayNumber, lower: DayNumber, ctx: RiskContext): boolean {
  return day >= lower && day <= ctx.asOfDay;
}

/** "today", "1 day ago", "12 days ago". */
export function ago(day: DayNumber, ctx: RiskContext): string {
  const n = ctx.asOfDay - day;
  return n === 0 ? 'today' : n === 1 ? '1 day ago' : `${n} days ago`;
}

/** "14 days", "3 months", "1 month". */
export function describeWindow(w: Window): string {
  const unit = w.unit === 'days' ? 'day' : 'month';
  return `${w.amount} ${unit}${w.amount === 1 ? '' : 's'}`;
}

function newestFirst(a: Evidence, b: Evidence): number {
  const da = a.date ?? '';
  const db = b.date ?? '';
  return da < db ? 1 : da > db ? -1 : 0;
}

/** Records of `rows` dated inside [lower, D], newest first, with their day numbers. */
function datedIn<T extends { date: string }>(
  rows: readonly T[] | undefined,
  lower: DayNumber,
  ctx: RiskContext,
  keep: (row: T) => boolean,
): { row: T; day: DayNumber }[] {
  const out: { row: T; day: DayNumber }[] = [];
  if (!rows) return out;
  for (const row of rows) {
    if (!keep(row)) continue;
    const day = toDay(row.date);
    if (inWindow(day, lower, ctx)) out.push({ row, day });
  }
  out.sort((a, b) => b.day - a.day);
  return out;
}

/** The TOPs sharing the latest date on or after `lower` and on or before D. */
function latestTops(tops: readonly TopRow[] | undefined, lower: DayNumber, ctx: RiskContext): { tops: TopRow[]; day: DayNumber } {
  let best = -Infinity;
  let latest: TopRow[] = [];
  if (tops) {
    for (const top of tops) {
      const day = toDay(top.date);
      if (!inWindow(day, lower, ctx)) continue;
      if (day > best) {
        best = day;
        latest = [top];
      } else if (day === best) {
        latest.push(top);
      }
    }
  }
  return { tops: latest, day: best };
}

function positive(row: DrugTestRow): boolean {
  return row.result === 'positive';
}

function testEvidence(row: DrugTestRow): Evidence {
  return { kind: 'drug_test', id: row.test_id, date: row.date, detail: `${row.substance} ${row.result}` };
}

function eventEvidence(row: RiskEventRow): Evidence {
  const detail = row.detail ? `${row.type}: ${row.detail}` : row.type;
  return { kind: 'risk_event', id: row.event_id, date: row.date, detail };
}

const EVENT_LABEL: Readonly<Record<RiskEventType, string>> = {
  non_fatal_overdose: 'non-fatal overdose',
  prison_release: 'release from prison',
  hospital_discharge: 'discharge from hospital',
  rehab_discharge: 'discharge from residential rehab',
  suicidal_ideation: 'suicidal ideation',
  self_harm: 'self-harm',
  respiratory_disease: 'respiratory disease',
  mental_health_crisis: 'mental-health crisis',
  bereavement: 'bereavement',
  other: 'other risk event',
};

const REGIME_LABEL: Readonly<Record<Regime, string>> = {
  increasing: 'increasing',
  static: 'static',
  reducing: 'reducing',
  detox: 'detoxification',
};

const OG_LABEL: Readonly<Record<OgBand, string>> = {
  below: 'below OG',
  at_or_above: 'at/above OG',
  'n/a': '(no OG band)',
};

function flag(code: FlagCode, critical: boolean, evidence: Evidence[], reason: string): RiskFlag {
  return { code, critical, evidence, reason };
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------
// on_top
// ---------------------------------------------------------------------------------------

/** Opioid test results worth citing as on-top evidence (the decision itself is MAT's). */
const OPIOID_SUBSTANCES: ReadonlySet<string> = new Set([
  'heroin_6mam',
  'morphine',
  'codeine',
  'fentanyl',
  'nitazene',
  'oxycodone',
  'tramadol',
  'methadone',
  'buprenorphine',
]);

/** Substances a prescribed medication itself explains (not cited as on-top evidence). */
function explainedByPrescription(substance: string, medication: string | null | undefined): boolean {
  if (!medication) return false;
  if (medication === 'methadone') return substance === 'methadone';
  if (medication.startsWith('buprenorphine')) return substance === 'buprenorphine';
  if (medication === 'diamorphine') return substance === 'heroin_6mam' || substance === 'morphine';
  if (medication === 'morphine_sr') return substance === 'morphine';
  return false;
}

/**
 * `on_top`: illicit opioid use on top of the prescription — the person's MAT stage is
 * MAT 2 (`config.onTopStages`). The decision is MAT's (one definition, domain §1.2); this
 * flag cites MAT's evidence, or if none was passed, the latest TOP with opiate days and
 * the positive opioid tests of the latest evidence date in the window.
 */
export const onTop: FlagRule = (input, ctx) => {
  const mat = input.mat;
  if (!mat || mat.stage === null || !ctx.config.onTopStages.includes(mat.stage)) return null;
  const evidence: Evidence[] = [];
  if (mat.stageEvidence && mat.stageEvidence.length > 0) {
    evidence.push(...mat.stageEvidence);
  } else {
    const lower = ctx.bounds.evidence;
    let latest = -Infinity;
    for (const t of input.tops ?? EMPTY) {
      const d = toDay(t.date);
      if (inWindow(d, lower, ctx) && d > latest) latest = d;
    }
    for (const t of input.drugTests ?? EMPTY) {
      const d = toDay(t.date);
      if (inWindow(d, lower, ctx) && d > latest) latest = d;
    }
    if (latest > -Infinity) {
      for (const t of input.tops ?? EMPTY) {
        if ((t.opiate_days ?? 0) > 0 && toDay(t.date) === latest) {
          evidence.push({ kind: 'top', id: t.top_id, date: t.date, detail: `opiate_days=${t.opiate_days}` });
        }
      }
      for (const t of input.drugTests ?? EMPTY) {
        if (
          positive(t) &&
          OPIOID_SUBSTANCES.has(t.substance) &&
          !explainedByPrescription(t.substance, mat.medication) &&
          toDay(t.date) === latest
        ) {
          evidence.push(testEvidence(t));
        }
      }
    }
  }
  if (mat.prescriptionId) {
    const dose = mat.doseMg !== null && mat.doseMg !== undefined ? ` ${mat.doseMg} mg` : '';
    const med = mat.medication ? `${mat.medication}${dose}, ` : '';
    evidence.push({ kind: 'prescription', id: mat.prescriptionId, date: null, detail: `${med}MAT stage ${mat.stage}` });
  }
  const latestDated = evidence.find((e) => e.date !== null && e.kind !== 'prescription');
  const when = latestDated?.date ? `; latest evidence ${latestDated.date} (${latestDated.detail})` : '';
  return flag('on_top', false, evidence, `Illicit opioid use on top of the prescription (${mat.stage})${when}`);
};

// ---------------------------------------------------------------------------------------
// injecting
// ---------------------------------------------------------------------------------------

/**
 * `injecting`: the latest TOP in the evidence window has injecting days > 0 (when several
 * TOPs share that date, any one with injecting days counts), or people.injecting_status is
 * current (`config.injectingStatuses`). An earlier TOP in the window does not count once
 * a later one records no injecting.
 */
export const injecting: FlagRule = (input, ctx) => {
  const evidence: Evidence[] = [];
  const parts: string[] = [];
  const { tops } = latestTops(input.tops, ctx.bounds.evidence, ctx);
  for (const t of tops) {
    if ((t.injecting_days ?? 0) > 0) {
      evidence.push({ kind: 'top', id: t.top_id, date: t.date, detail: `injecting_days=${t.injecting_days}` });
      parts.push(`injected on ${t.injecting_days} of 28 days (TOP ${t.date})`);
    }
  }
  const status = input.person.injecting_status;
  if (status && ctx.config.injectingStatuses.includes(status)) {
    evidence.push({ kind: 'person', id: input.person.person_id, date: null, detail: `injecting_status=${status}` });
    parts.push(`injecting status is ${status === 'C' ? 'current' : status}`);
  }
  if (evidence.length === 0) return null;
  return flag('injecting', false, evidence, `Injecting: ${parts.join('; ')}`);
};

// ---------------------------------------------------------------------------------------
// depressant_co_use
// ---------------------------------------------------------------------------------------

/**
 * `depressant_co_use`: in the evidence window, a test positive for a depressant
 * (benzodiazepine, gabapentinoid), or any TOP with alcohol on more than 20 of 28 days or
 * more than 14 units on a drinking day (units are ignored when alcohol days is recorded
 * as 0: there was no drinking day).
 */
export const depressantCoUse: FlagRule = (input, ctx) => {
  const { config } = ctx;
  const lower = ctx.bounds.evidence;
  const evidence: Evidence[] = [];
  const parts: string[] = [];
  for (const { row } of datedIn(input.drugTests, lower, ctx, (t) => positive(t) && config.depressantSubstances.includes(t.substance))) {
    evidence.push(testEvidence(row));
    parts.push(`${row.substance} positive test on ${row.date}`);
  }
  for (const { row } of datedIn(input.tops, lower, ctx, () => true)) {
    const daysUsed = row.alcohol_days;
    const units = row.alcohol_units;
    const manyDays = daysUsed !== null && daysUsed !== undefined && daysUsed > config.alcoholDaysAbove;
    const manyUnits = units !== null && units !== undefined && units > config.alcoholUnitsAbove && daysUsed !== 0;
    if (!manyDays && !manyUnits) continue;
    const detail: string[] = [];
    if (manyDays) detail.push(`alcohol_days=${daysUsed}`);
    if (manyUnits) detail.push(`alcohol_units=${units}`);
    evidence.push({ kind: 'top', id: row.top_id, date: row.date, detail: detail.join(', ') });
    const text: string[] = [];
    if (manyDays) text.push(`alcohol on ${daysUsed} of 28 days`);
    if (manyUnits) text.push(`${units} units on a drinking day`);
    parts.push(`${text.join(' and ')} (TOP ${row.date})`);
  }
  if (evidence.length === 0) return null;
  evidence.sort(newestFirst);
  return flag('depressant_co_use', false, evidence, `Depressant co-use: ${parts.join('; ')}`);
};

// ---------------------------------------------------------------------------------------
// Risk-event flags: recent_overdose, lowered_tolerance, health
// ---------------------------------------------------------------------------------------

/** `recent_overdose`: non-fatal overdose in the last 12 months; critical in the last 3. */
export const recentOverdose: FlagRule = (input, ctx) => {
  const hits = datedIn(input.riskEvents, ctx.bounds.overdose, ctx, (e) => e.type === 'non_fatal_overdose');
  const latest = hits[0];
  if (!latest) return null;
  const critical = latest.day >= ctx.bounds.overdoseCritical;
  const count = hits.length > 1 ? ` (${hits.length} in the last ${describeWindow(ctx.config.overdoseWindow)})` : '';
  const crit = critical ? `; critical: within ${describeWindow(ctx.config.overdoseCriticalWindow)}` : '';
  return flag(
    'recent_overdose',
    critical,
    hits.map((h) => eventEvidence(h.row)),
    `Non-fatal overdose on ${latest.row.date} (${ago(latest.day, ctx)})${count}${crit}`,
  );
};

/**
 * `lowered_tolerance`: release from prison, discharge from hospital or residential rehab
 * in the last 4 weeks; critical in weeks 1–2 (released 0–14 days ago).
 */
export const loweredTolerance: FlagRule = (input, ctx) => {
  const types = ctx.config.releaseEventTypes;
  const hits = datedIn(input.riskEvents, ctx.bounds.release, ctx, (e) => types.includes(e.type));
  const latest = hits[0];
  if (!latest) return null;
  const critical = latest.day >= ctx.bounds.releaseCritical;
  const crit = critical ? `; critical: within ${describeWindow(ctx.config.releaseCriticalWindow)}` : '';
  return flag(
    'lowered_tolerance',
    critical,
    hits.map((h) => eventEvidence(h.row)),
    `Lowered tolerance: ${EVENT_LABEL[latest.row.type]} on ${latest.row.date} (${ago(latest.day, ctx)})${crit}`,
  );
};

/** `health`: respiratory disease, suicidal ideation, self-harm or mental-health crisis in the last 12 months. */
export const health: FlagRule = (input, ctx) => {
  const types = ctx.config.healthEventTypes;
  const hits = datedIn(input.riskEvents, ctx.bounds.health, ctx, (e) => types.includes(e.type));
  if (hits.length === 0) return null;
  const parts = hits.map((h) => `${EVENT_LABEL[h.row.type]} on ${h.row.date}`);
  return flag('health', false, hits.map((h) => eventEvidence(h.row)), `Health: ${parts.join('; ')}`);
};

// ---------------------------------------------------------------------------------------
// treatment_transition
// ---------------------------------------------------------------------------------------

/**
 * `treatment_transition` (Cornish 2010: ≈ 8–9× mortality around leaving treatment):
 *   - first 4 weeks of OST: stage MAT 1, or the in-MAT start date within the induction
 *     window (either is enough; with default settings they agree);
 *   - a reducing prescription below OG (`config.transitionRegimes` × `transitionOgBands`;
 *     by default regime `reducing` only — MAT 4 detox is regime `detox` and is not
 *     included unless configured);
 *   - an episode ended in the last 4 weeks (any exit reason unless excluded in config).
 */
export const treatmentTransition: FlagRule = (input, ctx) => {
  const { config } = ctx;
  const evidence: Evidence[] = [];
  const parts: string[] = [];
  const mat = input.mat;
  if (mat && mat.stage !== null) {
    const rxId = mat.prescriptionId ?? 'unknown';
    let startDay = toDay(mat.inMatStartDate);
    if (Number.isNaN(startDay) && typeof mat.daysInTreatment === 'number') startDay = ctx.asOfDay - mat.daysInTreatment;
    const inInduction = inWindow(startDay, ctx.bounds.induction, ctx);
    const known = !Number.isNaN(startDay);
    if (mat.stage === 'MAT1' || inInduction) {
      const startIso = known ? fromDay(startDay) : null;
      evidence.push({
        kind: 'prescription',
        id: rxId,
        date: startIso,
        detail: `stage ${mat.stage}${known ? `, started ${startIso}, day ${ctx.asOfDay - startDay} of treatment` : ''}`,
      });
      parts.push(`first ${describeWindow(config.inductionWindow)} of OST${known ? ` (started ${startIso}, ${ago(startDay, ctx)})` : ` (stage ${mat.stage})`}`);
    }
    if (
      mat.regime !== null &&
      mat.ogBand !== null &&
      config.transitionRegimes.includes(mat.regime) &&
      config.transitionOgBands.includes(mat.ogBand)
    ) {
      const dose = mat.doseMg !== null && mat.doseMg !== undefined ? `, ${mat.doseMg} mg` : '';
      evidence.push({ kind: 'prescription', id: rxId, date: null, detail: `regime=${mat.regime}, ogBand=${mat.ogBand}${dose}` });
      parts.push(`${REGIME_LABEL[mat.regime]} prescription ${OG_LABEL[mat.ogBand]}${dose}`);
    }
  }
  const excluded = config.episodeEndedExcludedExitReasons;
  for (const ep of input.episodes ?? EMPTY) {
    const endDay = toDay(ep.end_date);
    if (!inWindow(endDay, ctx.bounds.episodeEnded, ctx)) continue;
    if (ep.exit_reason && excluded.includes(ep.exit_reason)) continue;
    const why = ep.exit_reason ? ` (${ep.exit_reason})` : '';
    evidence.push({ kind: 'episode', id: ep.episode_id, date: ep.end_date ?? null, detail: `ended${why}` });
    parts.push(`episode ended on ${ep.end_date}${why}, ${ago(endDay, ctx)}`);
  }
  if (evidence.length === 0) return null;
  return flag('treatment_transition', false, evidence, `Treatment transition: ${parts.join('; ')}`);
};

// ---------------------------------------------------------------------------------------
// potent_opioid
// ---------------------------------------------------------------------------------------

/** `potent_opioid`: a test positive for fentanyl or a nitazene in the last 12 months (critical). */
export const potentOpioid: FlagRule = (input, ctx) => {
  const subs = ctx.config.potentOpioidSubstances;
  const hits = datedIn(input.drugTests, ctx.bounds.potentOpioid, ctx, (t) => positive(t) && subs.includes(t.substance));
  const latest = hits[0];
  if (!latest) return null;
  const critical = ctx.config.potentOpioidCritical;
  return flag(
    'potent_opioid',
    critical,
    hits.map((h) => testEvidence(h.row)),
    `Potent opioid: ${latest.row.substance} positive test on ${latest.row.date} (${ago(latest.day, ctx)})${critical ? '; critical' : ''}`,
  );
};

// ---------------------------------------------------------------------------------------
// housing
// ---------------------------------------------------------------------------------------

/**
 * `housing`: acute housing problem on the latest TOP on or before D (of any age by
 * default; `config.housingTopWindow` limits it), or people.housing is nfa, street or hmo.
 */
export const housing: FlagRule = (input, ctx) => {
  const evidence: Evidence[] = [];
  const parts: string[] = [];
  const { tops } = latestTops(input.tops, ctx.bounds.housingTop, ctx);
  for (const t of tops) {
    if (t.acute_housing === true) {
      evidence.push({ kind: 'top', id: t.top_id, date: t.date, detail: 'acute_housing=Y' });
      parts.push(`acute housing problem on the latest TOP (${t.date})`);
    }
  }
  const status = input.person.housing;
  if (status && ctx.config.housingStatuses.includes(status)) {
    evidence.push({ kind: 'person', id: input.person.person_id, date: null, detail: `housing=${status}` });
    const label = status === 'nfa' ? 'no fixed abode' : status === 'street' ? 'street homeless' : status === 'hmo' ? 'house in multiple occupation' : status;
    parts.push(`housing is ${label}`);
  }
  if (evidence.length === 0) return null;
  return flag('housing', false, evidence, capitalise(parts.join('; ')));
};

// ---------------------------------------------------------------------------------------
// no_naloxone
// ---------------------------------------------------------------------------------------

/**
 * `no_naloxone`: no take-home naloxone supplied to the person in the last 365 days
 * (supplied 365 days ago protects, 366 does not). Only supplies to the person count
 * (`config.naloxoneRecipients`: service_user or recipient not recorded). A gap in
 * protection, not a risk: it is never critical and by default does not count towards the
 * tier. Evidence is the last qualifying supply before the window, if any.
 */
export const noNaloxone: FlagRule = (input, ctx) => {
  const recipients = ctx.config.naloxoneRecipients;
  let lastBefore: { id: string; date: string; day: DayNumber; detail: string } | null = null;
  for (const s of input.naloxone ?? EMPTY) {
    if (!recipients.includes(s.recipient ?? null)) continue;
    const day = toDay(s.date);
    if (!(day <= ctx.asOfDay)) continue; // future or invalid
    if (day >= ctx.bounds.naloxone) return null; // protected
    if (lastBefore === null || day > lastBefore.day) {
      lastBefore = { id: s.supply_id, date: s.date, day, detail: `${s.product ?? 'naloxone'} supplied (${ctx.asOfDay - day} days before)` };
    }
  }
  const window = describeWindow(ctx.config.naloxoneWindow);
  if (lastBefore === null) {
    return flag('no_naloxone', false, [], `No take-home naloxone supplied to the person in the last ${window} (none on record)`);
  }
  return flag(
    'no_naloxone',
    false,
    [{ kind: 'naloxone', id: lastBefore.id, date: lastBefore.date, detail: lastBefore.detail }],
    `No take-home naloxone supplied to the person in the last ${window} (last supply ${lastBefore.date}, ${ago(lastBefore.day, ctx)})`,
  );
};

// ---------------------------------------------------------------------------------------

/** Every flag rule by code, in the order of {@link FLAG_CODES}. */
export const FLAG_RULES: Readonly<Record<FlagCode, FlagRule>> = {
  on_top: onTop,
  injecting,
  depressant_co_use: depressantCoUse,
  recent_overdose: recentOverdose,
  lowered_tolerance: loweredTolerance,
  treatment_transition: treatmentTransition,
  potent_opioid: potentOpioid,
  housing,
  health,
  no_naloxone: noNaloxone,
};
