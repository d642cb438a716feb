/** Words and numbers for the early-warning pages. */
import type { Step } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "12 October 2026" */
export function weekLabel(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return `${d} ${MONTHS_LONG[m - 1]} ${y}`;
}

/** "12 Oct" (chart axis) */
export function weekShort(iso: string): string {
  const [, m, d] = iso.split('-').map(Number);
  if (!m || !d) return iso;
  return `${d} ${MONTHS[m - 1]}`;
}

/** One decimal place, whole numbers as they are. */
export function fmt1(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

export const STEP_NAMES: Record<Step, string> = {
  1: 'Step 1: prepared',
  2: 'Step 2: reliable intelligence',
  3: 'Step 3: confirmed presence or rise',
};

export const STEP_TAG: Record<Step, 'grey' | 'orange' | 'red'> = { 1: 'grey', 2: 'orange', 3: 'red' };

export const METHOD_NAMES: Record<string, string> = {
  auto: 'Automatic (Farrington flexible, EARS for short histories)',
  farrington: 'Farrington flexible (Noufaily)',
  'ears-c1': 'EARS C1',
  'ears-c2': 'EARS C2',
  'ears-c3': 'EARS C3',
  none: 'Count triggers only',
};

export const HISTORY_KIND: Record<string, string> = {
  initial: 'Monitoring started',
  proposed: 'Proposed',
  confirmed: 'Confirmed',
  overridden: 'Set by coordinator',
};
