/**
 * classifyPerson: the single definition of a person's MAT position on a date, used by
 * the UI, the API, the CLI and the exports.
 */
import { defaultMatConfig, type MatConfig } from './config';
import { isoOf, monthEndDay, toDayNumber, type DayNumber, type IsoDate, type IsoMonth } from './dates';
import { assessDose } from './dose';
import { inEvidenceWindow } from './evidence';
import { computeFeatures, prepareHistory, type EvidenceFeature, type MatFeatures, type PreparedHistory } from './features';
import { buildReasons } from './reasons';
import { cohortFor, decideStage, isDetoxPlan, regimeFor } from './stage';
import type { EvidenceRef, EvidenceSummary, MatClassification, PersonHistory, Substance } from './types';

export interface ClassifyOptions {
  /** Build the human-readable reasons and evidence refs (default true). Turn off for bulk aggregation. */
  reasons?: boolean;
}

function isPositive(ev: EvidenceFeature): boolean {
  for (const t of ev.tops) if (t.opiate_days > 0) return true;
  for (const t of ev.tests) if (t.illicit.length > 0) return true;
  return false;
}

function summarise(ev: EvidenceFeature, positive: boolean): EvidenceSummary {
  let opiateDays: number | null = null;
  for (const t of ev.tops) if (opiateDays === null || t.opiate_days > opiateDays) opiateDays = t.opiate_days;
  const illicit: Substance[] = [];
  for (const t of ev.tests) for (const s of t.illicit) if (!illicit.includes(s)) illicit.push(s);
  const source = ev.tops.length > 0 ? (ev.tests.length > 0 ? 'top_and_drug_test' : 'top') : 'drug_test';
  return { date: ev.date, source, positive, opiateDays, illicitSubstances: illicit };
}

/** Decides stage, cohort, band, regime and reasons from features (no history needed). */
export function decideMat(f: MatFeatures, config: MatConfig = defaultMatConfig, options: ClassifyOptions = {}): MatClassification {
  const d = f.dateDay ?? toDayNumber(f.date);
  const withReasons = options.reasons !== false;
  const ev = f.latestEvidence;
  const evInWindow = ev !== null && inEvidenceWindow(ev.day ?? toDayNumber(ev.date), d, config) ? ev : null;
  const positive = evInWindow === null ? null : isPositive(evInWindow);
  const cur = f.current;

  if (cur === null || f.continuousStart === null) {
    return {
      date: f.date,
      inMat: false,
      stage: null,
      cohort: null,
      ogBand: null,
      regime: null,
      medication: null,
      doseMg: null,
      slEquivalentMg: null,
      highDose: false,
      supervised: null,
      pickup: null,
      prescriptionId: null,
      continuousStart: null,
      daysSinceStart: null,
      previousDoseMg: null,
      previousDoseDate: null,
      reductionPlan: null,
      evidence: evInWindow === null ? null : summarise(evInWindow, positive === true),
      latestTop: f.latestTop,
      lastEvidenceDate: f.lastEvidenceDate,
      reasons: withReasons ? buildReasons(reasonFacts(f, null, null, null, false, null, false, null, d, config), config) : [],
      evidenceRefs: [],
    };
  }

  const daysSinceStart = d - (f.continuousStartDay ?? toDayNumber(f.continuousStart));
  const plan = f.reductionPlan;
  const detox = plan !== null && (f.reductionPlanIsDetox ?? isDetoxPlan(plan.start, plan.planned_end_date, config));
  const stage = decideStage({ inMat: true, daysSinceStart, detoxPlan: detox, evidencePositive: positive }, config);
  const dose = assessDose(cur.medication, cur.dose_mg, config);
  const prev = f.previous;
  const regime = regimeFor(
    {
      stage,
      medication: cur.medication,
      doseMg: cur.dose_mg,
      previousMedication: prev === null ? null : prev.medication,
      previousDoseMg: prev === null ? null : prev.dose_mg,
    },
    config,
  );

  const out: MatClassification = {
    date: f.date,
    inMat: true,
    stage,
    cohort: cohortFor(stage, dose.ogBand),
    ogBand: dose.ogBand,
    regime,
    medication: cur.medication,
    doseMg: cur.dose_mg,
    slEquivalentMg: dose.slEquivalentMg,
    highDose: dose.highDose,
    supervised: cur.supervised,
    pickup: cur.pickup,
    prescriptionId: cur.prescription_id,
    continuousStart: f.continuousStart,
    daysSinceStart,
    previousDoseMg: prev === null ? null : prev.dose_mg,
    previousDoseDate: prev === null ? null : prev.date,
    reductionPlan: plan === null ? null : { start: plan.start, plannedEnd: plan.planned_end_date, withinDetoxWindow: detox },
    evidence: evInWindow === null ? null : summarise(evInWindow, positive === true),
    latestTop: f.latestTop,
    lastEvidenceDate: f.lastEvidenceDate,
    reasons: [],
    evidenceRefs: [],
  };
  if (withReasons) {
    out.reasons = buildReasons(reasonFacts(f, stage, dose.ogBand, regime, dose.highDose, daysSinceStart, detox, evInWindow, d, config), config);
    out.evidenceRefs = evidenceRefs(f, evInWindow, stage === 'MAT2' || stage === 'MAT3');
  }
  return out;
}

function reasonFacts(
  features: MatFeatures,
  stage: MatClassification['stage'],
  ogBand: MatClassification['ogBand'],
  regime: MatClassification['regime'],
  highDose: boolean,
  daysSinceStart: number | null,
  detoxPlan: boolean,
  evidence: EvidenceFeature | null,
  d: DayNumber,
  config: MatConfig,
) {
  return { features, stage, ogBand, regime, highDose, daysSinceStart, detoxPlan, evidence, windowStart: isoOf(d - config.evidenceWindowDays) };
}

function evidenceRefs(f: MatFeatures, ev: EvidenceFeature | null, useEvidence: boolean): EvidenceRef[] {
  const refs: EvidenceRef[] = [];
  if (f.current !== null) refs.push({ kind: 'prescription', id: f.current.prescription_id, date: f.current.start_date });
  if (f.previous !== null && f.previous.prescription_id !== f.current?.prescription_id) {
    refs.push({ kind: 'prescription', id: f.previous.prescription_id, date: f.previous.date });
  }
  const plan = f.reductionPlan;
  if (plan !== null && !refs.some((r) => r.id === plan.first_prescription_id)) {
    refs.push({ kind: 'prescription', id: plan.first_prescription_id, date: plan.start });
  }
  if (useEvidence && ev !== null) {
    for (const t of ev.tops) refs.push({ kind: 'top', id: t.top_id, date: ev.date });
    for (const t of ev.tests) refs.push({ kind: 'drug_test', id: t.test_id, date: ev.date });
  }
  return refs;
}

/** Classification of a prepared history on day `d` (the fast path for many dates). */
export function classifyPrepared(h: PreparedHistory, date: IsoDate, config: MatConfig = defaultMatConfig, options: ClassifyOptions = {}): MatClassification {
  return decideMat(computeFeatures(h, toDayNumber(date), date, config), config, options);
}

/** A person's MAT position on `date`. Records dated after `date` are ignored. */
export function classifyPerson(history: PersonHistory, date: IsoDate, config: MatConfig = defaultMatConfig, options: ClassifyOptions = {}): MatClassification {
  return classifyPrepared(prepareHistory(history, config), date, config, options);
}

function classifyDays(
  history: PersonHistory | PreparedHistory,
  days: readonly DayNumber[],
  dates: readonly IsoDate[],
  config: MatConfig,
  options: ClassifyOptions,
): MatClassification[] {
  const h = 'evidence' in history ? history : prepareHistory(history, config);
  const out: MatClassification[] = new Array<MatClassification>(days.length);
  for (let i = 0; i < days.length; i++) out[i] = decideMat(computeFeatures(h, days[i] as DayNumber, dates[i] as IsoDate, config), config, options);
  return out;
}

/** A person's MAT position on each of `dates`; the history is sorted and indexed once. */
export function classifyDates(
  history: PersonHistory | PreparedHistory,
  dates: readonly IsoDate[],
  config: MatConfig = defaultMatConfig,
  options: ClassifyOptions = {},
): MatClassification[] {
  return classifyDays(history, dates.map(toDayNumber), dates, config, options);
}

// The tracker asks for the same month list for every person: remember the last one.
let lastMonthsKey = '';
let lastMonthDays: DayNumber[] = [];
let lastMonthDates: IsoDate[] = [];

/**
 * A person's MAT position at each month end (months 'YYYY-MM'), e.g. the 24 bars of the
 * tracker. The history is prepared once; each month is a few binary searches.
 */
export function classifyMonthEnds(
  history: PersonHistory | PreparedHistory,
  months: readonly IsoMonth[],
  config: MatConfig = defaultMatConfig,
  options: ClassifyOptions = {},
): MatClassification[] {
  const key = months.join();
  if (key !== lastMonthsKey) {
    lastMonthDays = months.map(monthEndDay);
    lastMonthDates = lastMonthDays.map(isoOf);
    lastMonthsKey = key;
  }
  return classifyDays(history, lastMonthDays, lastMonthDates, config, options);
}

/** The person entry of the `beacon report mat --format json` contract. */
export interface MatReportPerson {
  person_id: string;
  service_id: string;
  stage: MatClassification['stage'];
  cohort: MatClassification['cohort'];
  og_band: MatClassification['ogBand'];
  regime: MatClassification['regime'];
  medication: MatClassification['medication'];
  dose_mg: number | null;
  high_dose: boolean;
  reasons: string[];
}

/** Maps a classification to the JSON contract's person entry (snake_case). */
export function toReportPerson(person_id: string, service_id: string, c: MatClassification): MatReportPerson {
  return {
    person_id,
    service_id,
    stage: c.stage,
    cohort: c.cohort,
    og_band: c.ogBand,
    regime: c.regime,
    medication: c.medication,
    dose_mg: c.doseMg,
    high_dose: c.highDose,
    reasons: c.reasons,
  };
}
