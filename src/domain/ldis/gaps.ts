/**
 * Data-flow gaps (issue 5 item 6, seed 000 §2 "map the gaps"): for each partner and each
 * data item, when it last reported and how many reports in the period, with a status the
 * coordinator can scan: reporting, quiet (nothing for `gapDays` or more) or never.
 */
import { instant } from './dates';

export type FlowStatus = 'reporting' | 'quiet' | 'never';

export interface FlowInput {
  /** ISO timestamp of the latest report, or null when there has never been one. */
  lastAt: string | null;
  /** Reports in the period. */
  inPeriod: number;
}

export interface FlowStatusResult {
  status: FlowStatus;
  /** Whole days since the latest report (null: never). */
  daysSince: number | null;
}

/** The status of one feed at `now`: quiet when the last report is `gapDays` or more old. */
export function flowStatus(input: FlowInput, now: string, gapDays: number): FlowStatusResult {
  if (input.lastAt === null) return { status: 'never', daysSince: null };
  const t = instant(input.lastAt);
  const n = instant(now);
  if (t === null || n === null) throw new RangeError('flowStatus needs ISO timestamps');
  const daysSince = Math.max(0, Math.floor((n - t) / 86_400_000));
  return { status: daysSince >= gapDays ? 'quiet' : 'reporting', daysSince };
}
