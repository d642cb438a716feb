/**
 * The stepped approach per area (domain.md §3.4; seed 000 §1 and §5; issue 6 item 3).
 *
 *   Step 1  prepared (the resting state)
 *   Step 2  reliable intelligence that synthetic opioids may be circulating
 *   Step 3  confirmed presence of synthetic opioids and/or a local rise in overdoses/deaths
 *
 * `proposeStep` turns trigger inputs — count triggers fired, exceedance alarms,
 * case-definition matches, drug-check results — into a proposed step with its reasons,
 * by rules that are data (`DEFAULT_STEP_RULES`). The highest step whose rule matches is
 * proposed; with none, Step 1. The proposal is only that: `stepReducer` keeps the area's
 * step, which changes only when the coordinator confirms a proposal or overrides it
 * with a reason, and keeps the history.
 *
 * Default rules (Beacon's reading; an area replaces them with its own):
 *  - Step 2 on a nitazene-positive drug check of any kind (test strip, drug-checking
 *    service, forensics) in the last 28 days; on a confirmed case-definition match in the
 *    last 28 days; or on two or more probable-or-confirmed matches in the last 14 days.
 *  - Step 3 on *confirmed presence* (a confirmed case-definition match, or a nitazene
 *    found by a confirmatory method — police forensics, WEDINOS, a laboratory or
 *    toxicology — in the last 28 days) *together with* a rise in overdoses or deaths (an
 *    exceedance alarm or a count trigger on deaths, non-fatal overdoses, A&E attendances,
 *    ambulance call-outs or naloxone administrations in the last 14 days).
 *    The seed's Step 3 reads "Confirmed NSOs and/or rising number of overdoses/deaths";
 *    issue 6 asks for "confirmed presence together with an exceedance". The default
 *    follows the issue ("and"); `STEP3_RISE_ALONE_RULE` is the "or" half for an area that
 *    wants a rise alone to propose Step 3.
 *  - "In the last N days" means an event dated from asOf − (N − 1) to asOf inclusive;
 *    evidence dated after asOf is ignored.
 *  - Evidence is expected to be real, not drill data: filter exercises out first.
 *  - A proposal can be lower than the current step (evidence has aged out); stepping
 *    down is proposed like stepping up and is never automatic either.
 */
import { compareLevels, type CaseLevel } from './caseDefinition';
import { dayNumber, mustDay, mustInstant } from './dates';
import type { Step } from './types';

export type DrugCheckMethod = 'test_strip' | 'drug_checking_service' | 'police_forensic' | 'wedinos' | 'laboratory' | 'toxicology';

export interface DrugCheckResult {
  id: string;
  /** ISO date of the result. */
  date: string;
  method: DrugCheckMethod;
  nitazenePositive: boolean;
  substance?: string;
}

export interface CountTriggerFired {
  id: string;
  /** Indicator name, e.g. the incident event type it counts ('non_fatal_overdose'). */
  indicator: string;
  /** ISO date the trigger fired. */
  firedOn: string;
  description: string;
}

export interface ExceedanceAlarm {
  indicator: string;
  /** ISO date of the start of the alarming period (e.g. the week's Monday). */
  periodStart: string;
  count: number;
  expected: number;
  upperBound: number;
}

export interface CaseMatch {
  reportId: string;
  level: CaseLevel;
  /** ISO event date. */
  eventDate: string;
}

export interface StepInputs {
  area: string;
  /** ISO date the evaluation is for. */
  asOf: string;
  countTriggers: readonly CountTriggerFired[];
  exceedances: readonly ExceedanceAlarm[];
  caseMatches: readonly CaseMatch[];
  drugChecks: readonly DrugCheckResult[];
}

export type StepCondition =
  | { kind: 'all'; of: readonly StepCondition[] }
  | { kind: 'any'; of: readonly StepCondition[] }
  /** At least `atLeast` (default 1) nitazene-positive results, optionally by these methods. */
  | { kind: 'drugCheckPositive'; withinDays: number; methods?: readonly DrugCheckMethod[]; atLeast?: number }
  /** At least `atLeast` case-definition matches at `minLevel` or higher. */
  | { kind: 'caseMatches'; withinDays: number; minLevel: CaseLevel; atLeast: number }
  /** A count trigger fired, optionally only on these indicators or trigger ids. */
  | { kind: 'countTrigger'; withinDays: number; indicators?: readonly string[]; triggerIds?: readonly string[] }
  /** An exceedance alarm on one of these indicators. */
  | { kind: 'exceedance'; withinDays: number; indicators: readonly string[] };

export interface StepRule {
  id: string;
  step: 2 | 3;
  text: string;
  when: StepCondition;
}

export const CONFIRMATORY_METHODS: readonly DrugCheckMethod[] = ['police_forensic', 'wedinos', 'laboratory', 'toxicology'];
/** Indicators that measure overdoses or deaths (named as the incident event types). */
export const OVERDOSE_INDICATORS: readonly string[] = [
  'death',
  'non_fatal_overdose',
  'ae_attendance',
  'ambulance_callout',
  'naloxone_administration',
];

const CONFIRMED_PRESENCE: StepCondition = {
  kind: 'any',
  of: [
    { kind: 'caseMatches', withinDays: 28, minLevel: 'confirmed', atLeast: 1 },
    { kind: 'drugCheckPositive', withinDays: 28, methods: CONFIRMATORY_METHODS },
  ],
};
const RISE: StepCondition = {
  kind: 'any',
  of: [
    { kind: 'exceedance', withinDays: 14, indicators: OVERDOSE_INDICATORS },
    { kind: 'countTrigger', withinDays: 14, indicators: OVERDOSE_INDICATORS },
  ],
};

export const DEFAULT_STEP_RULES: readonly StepRule[] = [
  {
    id: 'step3-confirmed-and-rise',
    step: 3,
    text: 'Confirmed presence of synthetic opioids together with a rise in overdoses or deaths',
    when: { kind: 'all', of: [CONFIRMED_PRESENCE, RISE] },
  },
  {
    id: 'step2-drug-check',
    step: 2,
    text: 'A nitazene-positive drug check, test strip or forensic result',
    when: { kind: 'drugCheckPositive', withinDays: 28 },
  },
  {
    id: 'step2-confirmed-case',
    step: 2,
    text: 'A confirmed case-definition match',
    when: { kind: 'caseMatches', withinDays: 28, minLevel: 'confirmed', atLeast: 1 },
  },
  {
    id: 'step2-probable-cases',
    step: 2,
    text: 'Two or more probable case-definition matches',
    when: { kind: 'caseMatches', withinDays: 14, minLevel: 'probable', atLeast: 2 },
  },
];

/** The seed's "or" reading of Step 3: a rise in overdoses or deaths on its own. */
export const STEP3_RISE_ALONE_RULE: StepRule = {
  id: 'step3-rise-alone',
  step: 3,
  text: 'A rise in overdoses or deaths',
  when: RISE,
};

export interface StepReason {
  ruleId: string;
  step: Step;
  text: string;
  /** The evidence that met the rule, in words. */
  evidence: string[];
}

export interface StepProposal {
  area: string;
  asOf: string;
  step: Step;
  /** Every rule that matched, highest step first. */
  reasons: StepReason[];
  summary: string;
}

function within(date: string, asOf: number, days: number): boolean {
  const d = dayNumber(date);
  return d !== null && d <= asOf && asOf - d < days;
}

function evaluate(c: StepCondition, inputs: StepInputs, asOf: number): { ok: boolean; evidence: string[] } {
  switch (c.kind) {
    case 'all': {
      const evidence: string[] = [];
      for (const sub of c.of) {
        const r = evaluate(sub, inputs, asOf);
        if (!r.ok) return { ok: false, evidence: [] };
        evidence.push(...r.evidence);
      }
      return { ok: true, evidence };
    }
    case 'any': {
      // Every matching branch contributes its evidence (all the reasons are shown).
      const evidence: string[] = [];
      let ok = false;
      for (const sub of c.of) {
        const r = evaluate(sub, inputs, asOf);
        if (!r.ok) continue;
        ok = true;
        evidence.push(...r.evidence);
      }
      return { ok, evidence };
    }
    case 'drugCheckPositive': {
      const hits = inputs.drugChecks.filter(
        (d) => d.nitazenePositive && within(d.date, asOf, c.withinDays) && (!c.methods || c.methods.includes(d.method)),
      );
      const ok = hits.length >= (c.atLeast ?? 1);
      return {
        ok,
        evidence: ok
          ? hits.map((d) => `nitazene-positive ${d.method.replace(/_/g, ' ')} result ${d.id} on ${d.date}${d.substance ? ` (${d.substance})` : ''}`)
          : [],
      };
    }
    case 'caseMatches': {
      const hits = inputs.caseMatches.filter((m) => compareLevels(m.level, c.minLevel) >= 0 && within(m.eventDate, asOf, c.withinDays));
      const ok = hits.length >= c.atLeast;
      return { ok, evidence: ok ? hits.map((m) => `${m.level} case ${m.reportId} on ${m.eventDate}`) : [] };
    }
    case 'countTrigger': {
      const hits = inputs.countTriggers.filter(
        (t) =>
          within(t.firedOn, asOf, c.withinDays) &&
          (!c.indicators || c.indicators.includes(t.indicator)) &&
          (!c.triggerIds || c.triggerIds.includes(t.id)),
      );
      return { ok: hits.length > 0, evidence: hits.map((t) => `count trigger ${t.id} fired on ${t.firedOn}: ${t.description}`) };
    }
    case 'exceedance': {
      const hits = inputs.exceedances.filter((e) => c.indicators.includes(e.indicator) && within(e.periodStart, asOf, c.withinDays));
      return {
        ok: hits.length > 0,
        evidence: hits.map(
          (e) =>
            `${e.count} ${e.indicator.replace(/_/g, ' ')} in the period from ${e.periodStart} against an expected ${round1(e.expected)}; threshold ${round1(e.upperBound)}`,
        ),
      };
    }
  }
}

function round1(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

/** Propose a step for an area from its trigger inputs. */
export function proposeStep(inputs: StepInputs, rules: readonly StepRule[] = DEFAULT_STEP_RULES): StepProposal {
  const asOf = mustDay(inputs.asOf, 'asOf');
  const reasons: StepReason[] = [];
  for (const rule of rules) {
    const r = evaluate(rule.when, inputs, asOf);
    if (r.ok) reasons.push({ ruleId: rule.id, step: rule.step, text: rule.text, evidence: r.evidence });
  }
  reasons.sort((a, b) => b.step - a.step);
  const step: Step = reasons[0]?.step ?? 1;
  const top = reasons.filter((r) => r.step === step);
  const summary =
    step === 1
      ? 'Step 1 (prepared): no trigger met.'
      : `Step ${step}: ${top.map((r) => r.text.charAt(0).toLowerCase() + r.text.slice(1)).join('; ')}.`;
  return { area: inputs.area, asOf: inputs.asOf, step, reasons, summary };
}

// ---------------------------------------------------------------------------------------
// Coordinator decisions: a pure reducer over the step history.
// ---------------------------------------------------------------------------------------

export interface StepHistoryEntry {
  kind: 'initial' | 'proposed' | 'confirmed' | 'overridden';
  at: string;
  by: string | null;
  /** The area's step after the entry (for 'proposed': the step proposed). */
  step: Step;
  previousStep: Step;
  reason: string | null;
  proposal: StepProposal | null;
}

export interface AreaStepState {
  area: string;
  current: Step;
  /** When the current step began. */
  since: string;
  /** A proposal different from the current step, waiting for the coordinator. */
  pending: StepProposal | null;
  history: StepHistoryEntry[];
}

export type StepAction =
  | { type: 'propose'; at: string; proposal: StepProposal }
  /** Accept the pending proposal. */
  | { type: 'confirm'; at: string; by: string; note?: string }
  /** Set any step (including keeping the current one, which dismisses a proposal), with a reason. */
  | { type: 'override'; at: string; by: string; step: Step; reason: string };

export type StepResult = { ok: true; state: AreaStepState } | { ok: false; error: { code: string; message: string } };

/** An area at Step 1 (prepared) from `at`. */
export function initialStepState(area: string, at: string, by: string | null = null): AreaStepState {
  mustInstant(at, 'at');
  return {
    area,
    current: 1,
    since: at,
    pending: null,
    history: [{ kind: 'initial', at, by, step: 1, previousStep: 1, reason: null, proposal: null }],
  };
}

function stepFail(code: string, message: string): StepResult {
  return { ok: false, error: { code, message } };
}

/** Apply one action to an area's step state. Pure. */
export function stepReducer(state: AreaStepState, action: StepAction): StepResult {
  const at = mustInstant(action.at, 'at');
  const last = state.history[state.history.length - 1];
  if (last && at < mustInstant(last.at, 'history time')) return stepFail('time_order', 'action is earlier than the last entry in the history');
  switch (action.type) {
    case 'propose': {
      const p = action.proposal;
      if (p.area !== state.area) return stepFail('wrong_area', `proposal is for ${p.area}, not ${state.area}`);
      if (p.step === state.current) {
        // Nothing to decide: the evidence agrees with the current step.
        return { ok: true, state: { ...state, pending: null } };
      }
      if (state.pending && state.pending.step === p.step) {
        // Same proposal again (e.g. a scheduled run): refresh the evidence, no new entry.
        return { ok: true, state: { ...state, pending: p } };
      }
      return {
        ok: true,
        state: {
          ...state,
          pending: p,
          history: [
            ...state.history,
            { kind: 'proposed', at: action.at, by: null, step: p.step, previousStep: state.current, reason: p.summary, proposal: p },
          ],
        },
      };
    }
    case 'confirm': {
      if (!state.pending) return stepFail('no_proposal', 'there is no proposal to confirm');
      if (action.by.trim() === '') return stepFail('missing_actor', 'who confirmed must be recorded');
      const p = state.pending;
      return {
        ok: true,
        state: {
          ...state,
          current: p.step,
          since: action.at,
          pending: null,
          history: [
            ...state.history,
            { kind: 'confirmed', at: action.at, by: action.by, step: p.step, previousStep: state.current, reason: action.note ?? null, proposal: p },
          ],
        },
      };
    }
    case 'override': {
      if (action.by.trim() === '') return stepFail('missing_actor', 'who overrode must be recorded');
      if (action.reason.trim() === '') return stepFail('missing_reason', 'an override needs a reason');
      if (action.step !== 1 && action.step !== 2 && action.step !== 3) return stepFail('invalid_step', `no step ${String(action.step)}`);
      const changed = action.step !== state.current;
      return {
        ok: true,
        state: {
          ...state,
          current: action.step,
          since: changed ? action.at : state.since,
          pending: null,
          history: [
            ...state.history,
            {
              kind: 'overridden',
              at: action.at,
              by: action.by,
              step: action.step,
              previousStep: state.current,
              reason: action.reason.trim(),
              proposal: state.pending,
            },
          ],
        },
      };
    }
  }
}

/** Fold actions over an initial state; stops at the first error. */
export function replaySteps(
  initial: AreaStepState,
  actions: readonly StepAction[],
): { ok: true; state: AreaStepState } | { ok: false; index: number; error: { code: string; message: string }; state: AreaStepState } {
  let state = initial;
  for (let i = 0; i < actions.length; i++) {
    const r = stepReducer(state, actions[i] as StepAction);
    if (!r.ok) return { ok: false, index: i, error: r.error, state };
    state = r.state;
  }
  return { ok: true, state };
}

/** Step changes in a history: (from, to, at, by) for each confirmed or overridden change. */
export function stepChanges(state: AreaStepState): Array<{ from: Step; to: Step; at: string; by: string | null }> {
  return state.history
    .filter((h) => (h.kind === 'confirmed' || h.kind === 'overridden') && h.step !== h.previousStep)
    .map((h) => ({ from: h.previousStep, to: h.step, at: h.at, by: h.by }));
}

/**
 * Neighbouring areas to tell when an area's step changes (issue 6 item 3), from a
 * configurable adjacency (area → neighbours; read both ways).
 */
export function neighboursToNotify(area: string, before: Step, after: Step, adjacency: Readonly<Record<string, readonly string[]>>): string[] {
  if (before === after) return [];
  const out = new Set<string>(adjacency[area] ?? []);
  for (const [other, list] of Object.entries(adjacency)) if (list.includes(area)) out.add(other);
  out.delete(area);
  return [...out].sort();
}
