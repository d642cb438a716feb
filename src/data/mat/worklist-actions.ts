/**
 * Open care-plan actions on the MAT priority worklists (issue 4 §2: "open actions show on
 * the record and on worklists"). The worklists themselves come from `matReport`; this adds,
 * to each entry, the person's open (planned) actions: how many, how many overdue, and the
 * next due date — read for the whole page in one query (`openActionSummaries`).
 *
 * The care plan is live, not a month-end snapshot: the actions are those open now, and
 * "overdue" is judged on `asOf` (the routes pass today), whatever the worklist's month.
 */
import type { Queryable } from '../db';
import { openActionSummaries } from '../person/actions';
import type { MatReport, WorklistEntryJson } from './report';

export interface WorklistActions {
  /** Open (planned) care-plan actions of the person. */
  open_actions: number;
  /** Of those, due before `actions_as_of`. */
  overdue_actions: number;
  /** The earliest due date among them (null when none has a due date). */
  next_action_due: string | null;
  /** The next due date is before `actions_as_of`. */
  next_action_overdue: boolean;
}

export type WorklistEntryWithActions = WorklistEntryJson & WorklistActions;

/** A MAT report whose worklist entries carry the open actions, judged on `actions_as_of`. */
export interface MatReportWithActions extends Omit<MatReport, 'worklists'> {
  worklists: WorklistEntryWithActions[];
  actions_as_of: string;
}

export function hasWorklistActions(r: MatReport | MatReportWithActions): r is MatReportWithActions {
  return 'actions_as_of' in r;
}

/** The report with each worklist entry's open actions (one query for every entry). */
export async function withOpenActions(db: Queryable, r: MatReport, asOf: string): Promise<MatReportWithActions> {
  const summaries = await openActionSummaries(
    db,
    r.worklists.map((w) => w.person_id),
    asOf,
  );
  return {
    ...r,
    actions_as_of: asOf,
    worklists: r.worklists.map((w) => {
      const s = summaries.get(w.person_id);
      return { ...w, open_actions: s?.open ?? 0, overdue_actions: s?.overdue ?? 0, next_action_due: s?.nextDue ?? null, next_action_overdue: s?.nextOverdue ?? false };
    }),
  };
}
