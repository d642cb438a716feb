/**
 * Handling of a partner report (domain.md §3.3, issue 5 item 4):
 *
 *   received → assessed (within 24 h) → decided (within 48 h) → issued → closed
 *
 * - A report is *assessed* by answering the grading questions (local relevance,
 *   geographic extent, likelihood of spread, plausibility, source type); it may be
 *   re-graded until a decision is made.
 * - The *decision* is no further action, share for information, or formal alert, with a
 *   rationale. It may be changed until something is issued.
 * - *Nothing is circulated before the decision*: `canCirculate` is false until a decision
 *   other than "no further action" is recorded, and `issue` is refused before it.
 * - A "no further action" decision is closed directly; the others are issued, then
 *   closed.
 * - Choices where the domain page is silent (documented here and in the report):
 *   * Both SLA clocks run from `received_at` in elapsed (calendar) hours: assess by
 *     received + 24 h, decide by received + 48 h (not 48 h after assessment). Weekends
 *     and nights count: early warning does not stop for them.
 *   * Due means "by": completing exactly at the due time is on time; one minute later is
 *     late. A pending step is overdue once now is after the due time.
 *   * A report can be closed before assessment only as a duplicate (merged into another
 *     case by linkage) or withdrawn; its SLA timers then no longer apply.
 *   * New information (toxicology, coronial findings) can *reopen* an issued or closed
 *     report, with a reason. It returns to assessed (or received if it was never
 *     assessed), its decision is cleared and a new decision is due `redecideWithinHours`
 *     (default 24) after reopening (and an assessment 24 h after it, if there was none).
 *     Earlier decisions stay in the history.
 */
import { mustInstant, toIso } from './dates';

export type ReportStatus = 'received' | 'assessed' | 'decided' | 'issued' | 'closed';
export type Decision = 'no_further_action' | 'share_for_information' | 'formal_alert';
export const DECISIONS: readonly Decision[] = ['no_further_action', 'share_for_information', 'formal_alert'];
export const DECISION_LABELS: Readonly<Record<Decision, string>> = Object.freeze({
  no_further_action: 'No further action',
  share_for_information: 'Share for information',
  formal_alert: 'Formal alert',
});
export type CloseReason = 'completed' | 'duplicate' | 'withdrawn';

// ---------------------------------------------------------------------------------------
// Grading questions (data)
// ---------------------------------------------------------------------------------------

export type GradingQuestionId = 'local_relevance' | 'geographic_extent' | 'likelihood_of_spread' | 'plausibility' | 'source_type';

export interface GradingOption {
  value: string;
  label: string;
}

export interface GradingQuestion {
  id: GradingQuestionId;
  text: string;
  help: string;
  options: readonly GradingOption[];
}

export const GRADING_QUESTIONS: readonly GradingQuestion[] = [
  {
    id: 'local_relevance',
    text: 'How relevant is this to our area?',
    help: 'Where it happened and whether it affects people who use drugs here.',
    options: [
      { value: 'occurred_here', label: 'Happened in our area' },
      { value: 'affects_our_population', label: 'Happened elsewhere but affects people in our area' },
      { value: 'neighbouring', label: 'In a neighbouring area' },
      { value: 'not_local', label: 'Not relevant to our area' },
      { value: 'unknown', label: 'Not known yet' },
    ],
  },
  {
    id: 'geographic_extent',
    text: 'How far does it reach?',
    help: 'One place, one local authority, several, or wider.',
    options: [
      { value: 'single_location', label: 'A single location (one address, hostel or venue)' },
      { value: 'one_area', label: 'One local authority area' },
      { value: 'several_areas', label: 'Several local authority areas' },
      { value: 'regional_or_national', label: 'Regional or national' },
      { value: 'unknown', label: 'Not known yet' },
    ],
  },
  {
    id: 'likelihood_of_spread',
    text: 'How likely is it to spread?',
    help: 'For example a batch sold widely, or a single contaminated supply already used up.',
    options: [
      { value: 'high', label: 'High' },
      { value: 'medium', label: 'Medium' },
      { value: 'low', label: 'Low' },
      { value: 'unknown', label: 'Not known yet' },
    ],
  },
  {
    id: 'plausibility',
    text: 'How plausible is the information?',
    help: 'Confirmed by testing, consistent with other reports, or doubtful.',
    options: [
      { value: 'confirmed', label: 'Confirmed by laboratory, toxicology or forensic testing' },
      { value: 'consistent', label: 'Consistent with other reports or known trends' },
      { value: 'plausible', label: 'Plausible but not confirmed' },
      { value: 'doubtful', label: 'Doubtful or contradicted by other information' },
    ],
  },
  {
    id: 'source_type',
    text: 'What kind of source is it?',
    help: 'Who the information comes from, and how directly.',
    options: [
      { value: 'laboratory', label: 'Laboratory, toxicology or forensic result' },
      { value: 'professional_direct', label: 'Professional with direct knowledge (clinician, paramedic, officer at scene)' },
      { value: 'professional_reported', label: 'Professional passing on what others said' },
      { value: 'peer_or_person', label: 'Person who uses drugs, peer or family member' },
      { value: 'public_or_media', label: 'Member of the public, media or social media' },
      { value: 'anonymous', label: 'Anonymous' },
    ],
  },
];

export type GradingAnswers = Readonly<Record<GradingQuestionId, string>>;

/** Problems with a set of answers (empty when every question has a valid answer). */
export function validateGrading(answers: Partial<Record<string, string>>): string[] {
  const errors: string[] = [];
  for (const q of GRADING_QUESTIONS) {
    const a = answers[q.id];
    if (a === undefined || a === '') errors.push(`${q.id}: answer required`);
    else if (!q.options.some((o) => o.value === a)) errors.push(`${q.id}: "${a}" is not one of ${q.options.map((o) => o.value).join(', ')}`);
  }
  for (const k of Object.keys(answers)) if (!GRADING_QUESTIONS.some((q) => q.id === k)) errors.push(`${k}: no such question`);
  return errors;
}

/**
 * A suggested decision from the grading, with the reason — a prompt for the coordinator,
 * never applied by itself.
 */
export function suggestDecision(answers: GradingAnswers): { decision: Decision; because: string } {
  if (answers.plausibility === 'doubtful') return { decision: 'no_further_action', because: 'the information is doubtful' };
  if (answers.local_relevance === 'not_local') return { decision: 'no_further_action', because: 'it is not relevant to the area' };
  const firm = answers.plausibility === 'confirmed' || answers.plausibility === 'consistent';
  const local = answers.local_relevance === 'occurred_here' || answers.local_relevance === 'affects_our_population';
  const wide =
    answers.likelihood_of_spread === 'high' ||
    answers.geographic_extent === 'several_areas' ||
    answers.geographic_extent === 'regional_or_national';
  if (firm && local && wide) {
    return { decision: 'formal_alert', because: 'confirmed or consistent information, relevant locally, likely to spread or already widespread' };
  }
  return { decision: 'share_for_information', because: 'relevant but not (yet) confirmed, local, and widespread together' };
}

// ---------------------------------------------------------------------------------------
// State machine
// ---------------------------------------------------------------------------------------

export interface WorkflowConfig {
  assessWithinHours: number;
  decideWithinHours: number;
  /** After reopening, a new decision is due this many hours later. */
  redecideWithinHours: number;
  /** A pending step is 'due_soon' this many minutes before its due time. */
  dueSoonMinutes: number;
}

export const DEFAULT_WORKFLOW_CONFIG: Readonly<WorkflowConfig> = Object.freeze({
  assessWithinHours: 24,
  decideWithinHours: 48,
  redecideWithinHours: 24,
  dueSoonMinutes: 240,
});

export type WorkflowAction =
  | { type: 'assess'; at: string; by: string; answers: GradingAnswers; note?: string }
  | { type: 'decide'; at: string; by: string; decision: Decision; rationale: string }
  | { type: 'issue'; at: string; by: string }
  | { type: 'close'; at: string; by: string; reason: CloseReason; note?: string }
  | { type: 'reopen'; at: string; by: string; reason: string };

export type WorkflowActionType = WorkflowAction['type'];

/** Allowed transitions, as data: from which statuses each action may be taken. */
export const TRANSITIONS: Readonly<Record<WorkflowActionType, { from: readonly ReportStatus[]; to: string }>> = Object.freeze({
  assess: { from: ['received', 'assessed'], to: 'assessed' },
  decide: { from: ['assessed', 'decided'], to: 'decided' },
  issue: { from: ['decided'], to: 'issued (not after "no further action")' },
  close: { from: ['received', 'assessed', 'decided', 'issued'], to: 'closed (before a decision only as duplicate or withdrawn)' },
  reopen: { from: ['issued', 'closed'], to: 'assessed (received if never assessed)' },
});

export interface WorkflowEvent {
  action: WorkflowActionType;
  at: string;
  by: string;
  from: ReportStatus;
  to: ReportStatus;
  detail: string;
}

export interface ReportWorkflow {
  status: ReportStatus;
  receivedAt: string;
  assessedAt: string | null;
  grading: GradingAnswers | null;
  decidedAt: string | null;
  decision: Decision | null;
  rationale: string | null;
  issuedAt: string | null;
  closedAt: string | null;
  closeReason: CloseReason | null;
  /** When the report was last reopened (a new decision is then due). */
  reopenedAt: string | null;
  history: WorkflowEvent[];
}

export type WorkflowResult = { ok: true; state: ReportWorkflow } | { ok: false; error: { code: string; message: string } };

/** A newly received report. */
export function newReportWorkflow(receivedAt: string): ReportWorkflow {
  mustInstant(receivedAt, 'receivedAt');
  return {
    status: 'received',
    receivedAt,
    assessedAt: null,
    grading: null,
    decidedAt: null,
    decision: null,
    rationale: null,
    issuedAt: null,
    closedAt: null,
    closeReason: null,
    reopenedAt: null,
    history: [],
  };
}

function fail(code: string, message: string): WorkflowResult {
  return { ok: false, error: { code, message } };
}

/** The actions allowed from the current state. */
export function allowedActions(state: ReportWorkflow): WorkflowActionType[] {
  const out: WorkflowActionType[] = [];
  for (const [type, t] of Object.entries(TRANSITIONS) as Array<[WorkflowActionType, (typeof TRANSITIONS)[WorkflowActionType]]>) {
    if (!t.from.includes(state.status)) continue;
    if (type === 'issue' && state.decision === 'no_further_action') continue;
    out.push(type);
  }
  return out;
}

/** Whether anything about this report may be circulated (only after a decision to share). */
export function canCirculate(state: Pick<ReportWorkflow, 'status' | 'decision'>): boolean {
  return (state.status === 'decided' || state.status === 'issued') && state.decision !== null && state.decision !== 'no_further_action';
}

/** Apply one action. Pure: returns a new state or an error, never changes `state`. */
export function applyWorkflow(state: ReportWorkflow, action: WorkflowAction): WorkflowResult {
  const t = TRANSITIONS[action.type];
  if (!t.from.includes(state.status)) {
    return fail('invalid_transition', `cannot ${action.type} a report that is ${state.status}`);
  }
  if (action.by.trim() === '') return fail('missing_actor', 'who took the action must be recorded');
  const at = mustInstant(action.at, 'at');
  const last = state.history[state.history.length - 1];
  const floor = Math.max(mustInstant(state.receivedAt, 'receivedAt'), last ? mustInstant(last.at, 'history time') : -Infinity);
  if (at < floor) return fail('time_order', `${action.type} at ${action.at} is before the report's last event`);

  const next: ReportWorkflow = { ...state, history: [...state.history] };
  let detail = '';
  switch (action.type) {
    case 'assess': {
      const errors = validateGrading(action.answers);
      if (errors.length > 0) return fail('invalid_grading', errors.join('; '));
      next.status = 'assessed';
      // Re-grading keeps the time of the first assessment (that is what the SLA measures).
      next.assessedAt = state.assessedAt ?? action.at;
      next.grading = { ...action.answers };
      detail = GRADING_QUESTIONS.map((q) => `${q.id}=${action.answers[q.id]}`).join(', ');
      break;
    }
    case 'decide': {
      if (!DECISIONS.includes(action.decision)) return fail('invalid_decision', `unknown decision ${String(action.decision)}`);
      if (action.rationale.trim() === '') return fail('missing_rationale', 'a decision needs a rationale');
      next.status = 'decided';
      next.decision = action.decision;
      next.rationale = action.rationale.trim();
      next.decidedAt = state.status === 'decided' && state.decidedAt ? state.decidedAt : action.at;
      detail = `${action.decision}: ${next.rationale}`;
      break;
    }
    case 'issue': {
      if (state.decision === null || state.decision === 'no_further_action') {
        return fail('not_circulable', 'nothing is issued without a decision to share or alert');
      }
      next.status = 'issued';
      next.issuedAt = action.at;
      detail = state.decision;
      break;
    }
    case 'close': {
      const beforeDecision = state.status === 'received' || state.status === 'assessed';
      if (beforeDecision && action.reason === 'completed') {
        return fail('decision_required', 'a report is closed as completed only after a decision (or as duplicate or withdrawn)');
      }
      if (state.status === 'decided' && state.decision !== 'no_further_action' && action.reason === 'completed') {
        return fail('issue_required', 'issue the share or alert before closing, or close as withdrawn');
      }
      next.status = 'closed';
      next.closedAt = action.at;
      next.closeReason = action.reason;
      detail = action.note ? `${action.reason}: ${action.note}` : action.reason;
      break;
    }
    case 'reopen': {
      if (action.reason.trim() === '') return fail('missing_reason', 'reopening needs a reason');
      next.status = state.assessedAt ? 'assessed' : 'received';
      next.decision = null;
      next.rationale = null;
      next.decidedAt = null;
      next.issuedAt = null;
      next.closedAt = null;
      next.closeReason = null;
      next.reopenedAt = action.at;
      detail = action.reason.trim();
      break;
    }
  }
  next.history.push({ action: action.type, at: action.at, by: action.by, from: state.status, to: next.status, detail });
  return { ok: true, state: next };
}

/** Apply actions in order; stops at the first error and says which action failed. */
export function replayWorkflow(
  receivedAt: string,
  actions: readonly WorkflowAction[],
): { ok: true; state: ReportWorkflow } | { ok: false; index: number; error: { code: string; message: string }; state: ReportWorkflow } {
  let state = newReportWorkflow(receivedAt);
  for (let i = 0; i < actions.length; i++) {
    const r = applyWorkflow(state, actions[i] as WorkflowAction);
    if (!r.ok) return { ok: false, index: i, error: r.error, state };
    state = r.state;
  }
  return { ok: true, state };
}

// ---------------------------------------------------------------------------------------
// SLA timers
// ---------------------------------------------------------------------------------------

export type SlaState = 'pending' | 'due_soon' | 'overdue' | 'met' | 'missed' | 'not_applicable';

export interface SlaTimer {
  dueAt: string;
  completedAt: string | null;
  state: SlaState;
  /** Whole minutes until due (negative when overdue); null once completed or not applicable. */
  minutesRemaining: number | null;
}

export interface SlaStatus {
  assess: SlaTimer;
  decide: SlaTimer;
  /** A pending step is past its due time. */
  overdue: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function timer(due: number, completed: number | null, now: number, config: WorkflowConfig, applicable: boolean): SlaTimer {
  const dueAt = toIso(due);
  if (completed !== null) {
    return { dueAt, completedAt: toIso(completed), state: completed <= due ? 'met' : 'missed', minutesRemaining: null };
  }
  if (!applicable) return { dueAt, completedAt: null, state: 'not_applicable', minutesRemaining: null };
  const remaining = due - now;
  const minutesRemaining = Math.floor(remaining / MINUTE);
  const state: SlaState = remaining < 0 ? 'overdue' : remaining <= config.dueSoonMinutes * MINUTE ? 'due_soon' : 'pending';
  return { dueAt, completedAt: null, state, minutesRemaining };
}

/** Due times and overdue flags of a report at `now`. */
export function slaStatus(
  state: Pick<ReportWorkflow, 'status' | 'receivedAt' | 'assessedAt' | 'decidedAt' | 'reopenedAt' | 'closeReason'>,
  now: string,
  config: WorkflowConfig = DEFAULT_WORKFLOW_CONFIG,
): SlaStatus {
  const received = mustInstant(state.receivedAt, 'receivedAt');
  const t = mustInstant(now, 'now');
  const closedEarly = state.status === 'closed' && (state.closeReason === 'duplicate' || state.closeReason === 'withdrawn');
  const assessed = state.assessedAt ? mustInstant(state.assessedAt, 'assessedAt') : null;
  const reopened = state.reopenedAt ? mustInstant(state.reopenedAt, 'reopenedAt') : null;
  // A report reopened before it was ever assessed (e.g. a wrong duplicate) gets a fresh clock.
  const assessFrom = reopened !== null && assessed === null ? reopened : received;
  const assess = timer(assessFrom + config.assessWithinHours * HOUR, assessed, t, config, !closedEarly);
  const decideDue = reopened !== null ? reopened + config.redecideWithinHours * HOUR : received + config.decideWithinHours * HOUR;
  const decided = state.decidedAt ? mustInstant(state.decidedAt, 'decidedAt') : null;
  const decide = timer(decideDue, decided, t, config, !closedEarly);
  return { assess, decide, overdue: assess.state === 'overdue' || decide.state === 'overdue' };
}
