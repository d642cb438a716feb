/**
 * Care-plan actions against risk flags, and the caseload's "what is due" facts
 * (issue 4 §2 and §4). Pure: no I/O; the data layer stores and loads, these rules decide.
 *
 * Choices (domain.md is silent on the details):
 *   - A care-plan action is *open* while it is `planned`; `done` and `declined` close it.
 *     A declined action must say why (domain §2: "declined with reason").
 *   - An open action is *overdue* when its due date is before the profile date (due today
 *     is not yet overdue).
 *   - TOP overdue: no TOP in the last `topReviewIntervalMonths` calendar months (domain
 *     §1.7: reviews every 6 months). A TOP dated exactly D − 6 months is in time.
 *   - Drug test / TOP overdue: a person in MAT with neither a TOP nor a drug test in the
 *     last `evidenceWindowDays` days (domain §1.7: "a TOP or drug test at least every 3
 *     months"; the same 91-day window as MAT's evidence, so these are exactly the people
 *     who are, or will become, uncategorised).
 *   - Caseload order: tier (High, Medium, Low), then the number of critical flags, then
 *     the number of counted flags, then flags new since last week, then person id.
 */
import { addMonths, isIsoDate, toDay } from './date';
import { FLAG_CODES, type FlagCode, type Tier } from './types';

export const CARE_ACTION_STATUSES = ['planned', 'done', 'declined'] as const;
export type CareActionStatus = (typeof CARE_ACTION_STATUSES)[number];

export const CARE_ACTION_STATUS_LABELS: Readonly<Record<CareActionStatus, string>> = {
  planned: 'Planned',
  done: 'Done',
  declined: 'Declined',
};

/** A care-plan action as entered (new or changed). */
export interface CareActionInput {
  flag: string;
  actionId?: string | null;
  text: string;
  status: string;
  declinedReason?: string | null;
  dueDate?: string | null;
  owner?: string | null;
  note?: string | null;
}

export interface CareActionProblem {
  field: 'flag' | 'actionId' | 'text' | 'status' | 'declinedReason' | 'dueDate' | 'owner' | 'note';
  message: string;
}

export const CARE_ACTION_LIMITS = { text: 2000, declinedReason: 2000, owner: 200, note: 4000 } as const;

const blank = (s: string | null | undefined): boolean => s === null || s === undefined || s.trim() === '';

/**
 * Problems with a care-plan action, one per field at most, as sentences a form can show
 * beside the field (empty when valid).
 */
export function validateCareAction(input: CareActionInput): CareActionProblem[] {
  const out: CareActionProblem[] = [];
  if (!(FLAG_CODES as readonly string[]).includes(input.flag)) {
    out.push({ field: 'flag', message: `Choose the risk flag the action is for (one of ${FLAG_CODES.join(', ')})` });
  } else if (input.actionId != null && input.actionId !== '' && !input.actionId.startsWith(`${input.flag}.`)) {
    out.push({ field: 'actionId', message: `Recommended action ${input.actionId} is not one of the ${input.flag} flag's actions` });
  }
  if (blank(input.text)) out.push({ field: 'text', message: 'Enter what will be done' });
  else if (input.text.length > CARE_ACTION_LIMITS.text) out.push({ field: 'text', message: `The action must be ${CARE_ACTION_LIMITS.text} characters or fewer` });
  if (!(CARE_ACTION_STATUSES as readonly string[]).includes(input.status)) {
    out.push({ field: 'status', message: 'Choose planned, done or declined' });
  } else if (input.status === 'declined' && blank(input.declinedReason)) {
    out.push({ field: 'declinedReason', message: 'Enter why the action was declined' });
  }
  if ((input.declinedReason ?? '').length > CARE_ACTION_LIMITS.declinedReason) {
    out.push({ field: 'declinedReason', message: `The reason must be ${CARE_ACTION_LIMITS.declinedReason} characters or fewer` });
  }
  if (!blank(input.dueDate) && !isIsoDate(input.dueDate)) out.push({ field: 'dueDate', message: 'The due date must be a real date' });
  if ((input.owner ?? '').length > CARE_ACTION_LIMITS.owner) out.push({ field: 'owner', message: `The owner must be ${CARE_ACTION_LIMITS.owner} characters or fewer` });
  if ((input.note ?? '').length > CARE_ACTION_LIMITS.note) out.push({ field: 'note', message: `The note must be ${CARE_ACTION_LIMITS.note} characters or fewer` });
  return out;
}

export function isOpenAction(a: { status: string }): boolean {
  return a.status === 'planned';
}

/** Open and due before `asOf`. */
export function isOverdueAction(a: { status: string; due_date?: string | null }, asOf: string): boolean {
  return isOpenAction(a) && a.due_date != null && toDay(a.due_date) < toDay(asOf);
}

/** A person's open care-plan actions in one line of a caseload or worklist. */
export interface OpenActionSummary {
  /** Open (planned) actions. */
  open: number;
  /** Open actions due before the date. */
  overdue: number;
  /** The earliest due date among the open actions (null when none has a due date). */
  nextDue: string | null;
  /** The next due date is before the date (then at least one action is overdue). */
  nextOverdue: boolean;
}

/**
 * Open actions per person: how many, how many overdue on `asOf`, and the next due date.
 * Closed actions are ignored; people without an open action are not in the map.
 */
export function summariseOpenActions(actions: Iterable<{ person_id: string; status: string; due_date: string | null }>, asOf: string): Map<string, OpenActionSummary> {
  const out = new Map<string, OpenActionSummary>();
  for (const a of actions) {
    if (!isOpenAction(a)) continue;
    let s = out.get(a.person_id);
    if (s === undefined) {
      s = { open: 0, overdue: 0, nextDue: null, nextOverdue: false };
      out.set(a.person_id, s);
    }
    s.open++;
    if (isOverdueAction(a, asOf)) s.overdue++;
    if (a.due_date !== null && (s.nextDue === null || toDay(a.due_date) < toDay(s.nextDue))) s.nextDue = a.due_date;
  }
  for (const s of out.values()) s.nextOverdue = s.nextDue !== null && isOverdueAction({ status: 'planned', due_date: s.nextDue }, asOf);
  return out;
}

// ---------------------------------------------------------------------------------------
// Caseload: what is due
// ---------------------------------------------------------------------------------------

export interface ReviewFacts {
  inMat: boolean;
  /** Latest TOP on or before the date (any age), or null. */
  latestTopDate: string | null;
  /** Latest drug test on or before the date (any age), or null. */
  latestTestDate: string | null;
}

export interface ReviewSettings {
  topReviewIntervalMonths: number;
  evidenceWindowDays: number;
}

export interface ReviewsDue {
  /** No TOP in the last `topReviewIntervalMonths` months. */
  topOverdue: boolean;
  /** The day the next TOP was (or is) due: last TOP + interval; null when there has never been one. */
  topDueDate: string | null;
  /** In MAT with neither a TOP nor a drug test in the last `evidenceWindowDays` days. */
  testOverdue: boolean;
  /** Latest TOP or drug test (any age). */
  lastEvidenceDate: string | null;
}

export function reviewsDue(f: ReviewFacts, asOf: string, s: ReviewSettings): ReviewsDue {
  const today = toDay(asOf);
  const topDueDate = f.latestTopDate === null ? null : addMonths(f.latestTopDate, s.topReviewIntervalMonths);
  const topOverdue = topDueDate === null || toDay(topDueDate) < today;
  const last = [f.latestTopDate, f.latestTestDate].filter((d): d is string => d !== null).sort().pop() ?? null;
  const testOverdue = f.inMat && (last === null || today - toDay(last) > s.evidenceWindowDays);
  return { topOverdue, topDueDate, testOverdue, lastEvidenceDate: last };
}

const TIER_RANK: Readonly<Record<Tier, number>> = { high: 0, medium: 1, low: 2 };

export interface CaseloadSortKey {
  person_id: string;
  tier: Tier;
  critical: readonly FlagCode[];
  counted: readonly FlagCode[];
  newFlags: readonly FlagCode[];
}

/** The caseload order: highest tier first, then most critical, most counted, most new flags, person id. */
export function compareCaseload(a: CaseloadSortKey, b: CaseloadSortKey): number {
  return (
    TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
    b.critical.length - a.critical.length ||
    b.counted.length - a.counted.length ||
    b.newFlags.length - a.newFlags.length ||
    (a.person_id < b.person_id ? -1 : a.person_id > b.person_id ? 1 : 0)
  );
}
