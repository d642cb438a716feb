import type { Cohort, Group, OgBand, Priority, Regime, RiskTier, Stage } from './types';

/** The tracker groups in the toolkit's order, with their labels and Figure 1 colours. */
export interface GroupInfo {
  key: Group;
  label: string;
  /** What the group is, in plain words. */
  description: string;
  /** Bar colour (NHS.UK palette, matching the toolkit's Figure 1). */
  colour: string;
  /** Colour of the dose label drawn on the bar (WCAG contrast on `colour`). */
  textColour: string;
  /** Which way is better, for the toolkit's cohorts. */
  better?: 'lower' | 'higher';
}

export const GROUP_INFO: readonly GroupInfo[] = [
  { key: 'mat1', label: 'MAT 1', description: 'Induction: first 28 days of treatment', colour: '#005eb8', textColour: '#ffffff' },
  { key: 'red', label: 'Red', description: 'MAT 2, dose below the Orange Guidelines', colour: '#d5281b', textColour: '#ffffff', better: 'lower' },
  { key: 'amber', label: 'Amber', description: 'MAT 2, dose at or above the Orange Guidelines', colour: '#ffb81c', textColour: '#212b32', better: 'lower' },
  { key: 'green', label: 'Green', description: 'MAT 3, dose at or above the Orange Guidelines', colour: '#007f3b', textColour: '#ffffff', better: 'higher' },
  { key: 'grey', label: 'Grey', description: 'MAT 3, dose below the Orange Guidelines', colour: '#768692', textColour: '#000000', better: 'higher' },
  { key: 'mat4', label: 'MAT 4', description: 'Detoxification', colour: '#330072', textColour: '#ffffff' },
  { key: 'uncategorised', label: 'Uncategorised', description: 'No recent TOP or drug test', colour: '#212b32', textColour: '#ffffff', better: 'lower' },
  { key: 'mat2_no_band', label: 'MAT 2, no OG band', description: 'Using on top on a medicine with no Orange Guidelines band', colour: '#f0a6a0', textColour: '#212b32' },
  { key: 'mat3_no_band', label: 'MAT 3, no OG band', description: 'Not using on top on a medicine with no Orange Guidelines band', colour: '#a4d9b9', textColour: '#212b32' },
];

/** The seven groups the toolkit charts; the two "no OG band" groups show only when not empty. */
export const MAIN_GROUPS: readonly Group[] = ['mat1', 'red', 'amber', 'green', 'grey', 'mat4', 'uncategorised'];

export const groupInfo = (key: Group): GroupInfo => GROUP_INFO.find((g) => g.key === key) ?? GROUP_INFO[0]!;
export const isGroup = (value: string | null): value is Group => GROUP_INFO.some((g) => g.key === value);

export const STAGE_LABELS: Record<Stage, string> = {
  MAT1: 'MAT 1 (induction)',
  MAT2: 'MAT 2 (using on top)',
  MAT3: 'MAT 3 (not using on top)',
  MAT4: 'MAT 4 (detoxification)',
  uncategorised: 'Uncategorised',
};

export const COHORT_LABELS: Record<Cohort, string> = { red: 'Red', amber: 'Amber', green: 'Green', grey: 'Grey' };

export const BAND_LABELS: Record<OgBand, string> = { below: 'Below OG', at_or_above: 'At or above OG', 'n/a': 'No OG band' };
export const BANDS: readonly OgBand[] = ['below', 'at_or_above', 'n/a'];

export const REGIME_KEYS = ['increasing', 'static', 'reducing', 'detox', 'unknown'] as const;
export type RegimeKey = (typeof REGIME_KEYS)[number];
export const REGIME_LABELS: Record<RegimeKey, string> = {
  increasing: 'Increasing',
  static: 'Static',
  reducing: 'Reducing',
  detox: 'Detoxification',
  unknown: 'Not known',
};
export const regimeLabel = (regime: Regime | null): string => REGIME_LABELS[regime ?? 'unknown'];

export const RISK_LABELS: Record<RiskTier, string> = { high: 'High', medium: 'Medium', low: 'Low' };

export const PRIORITIES: readonly { priority: Priority; title: string; description: string }[] = [
  { priority: 1, title: 'Priority 1: MAT 2 at highest overdose risk', description: 'Using on top with a high overdose risk, for example reducing and below the Orange Guidelines dose.' },
  { priority: 2, title: 'Priority 2: MAT 2 below the Orange Guidelines dose', description: 'Using on top on a dose below the guidelines: reducing prescriptions first, then static.' },
  { priority: 3, title: 'Priority 3: MAT 2 at or above the Orange Guidelines dose', description: 'Using on top on a dose at or above the guidelines, ordered by risk.' },
  { priority: 4, title: 'Priority 4: supervised consumption review', description: 'Relax supervision where there is no risk item, optimise the dose where on-top use is frequent, and review anyone with no review on record.' },
  { priority: 5, title: 'Priority 5: MAT 3 recovery capital', description: 'Reducing regimes, TOPs older than 6 months and candidates for GP shared care.' },
  { priority: 'uncategorised', title: 'Uncategorised: needs a TOP or a drug test', description: 'Everyone in MAT with no recent TOP or drug test.' },
];

/** "2026-10" → "October 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "2026-10" → "Oct 2026" (chart axis). */
export function monthShort(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "2026-10-31" → "31 October 2026". */
export function dayLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export { lastCompleteMonth } from '../../format';

/** `count` months ending with `last`, newest first. */
export function monthsBack(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number);
  if (!y || !m) return [last];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

export const isMonth = (value: string | null): value is string => value !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** A percentage to one decimal place: "19.7%"; "–" when there is none. */
export function formatPct(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : `${value.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}

/** A mean dose to one decimal place: "58.2 mg"; "–" when nobody has that medicine. */
export function formatMg(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : `${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })} mg`;
}

/** A mean dose without its unit (the column heading says mg): "58.2"; "–" when there is none. */
export function formatDose(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

/** "1st", "2nd", "3rd", "11th". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** "buprenorphine_monthly_injection" → "buprenorphine monthly injection". */
export function medicationLabel(medication: string | null): string {
  return medication ? medication.replace(/_/g, ' ') : 'No medication recorded';
}
