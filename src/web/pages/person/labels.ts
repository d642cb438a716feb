import { FLAG_LABELS } from '../../../domain/risk/types';
import type { ActionStatus, FlagCode, Marker, Stage, Tier } from './api';

export const TIER_LABELS: Record<Tier, string> = { high: 'High', medium: 'Medium', low: 'Low' };
/** NHS.UK tag colours for each tier (the word is always shown too). */
export const TIER_TAGS: Record<Tier, string> = { high: 'nhsuk-tag--red', medium: 'nhsuk-tag--orange', low: 'nhsuk-tag--green' };

export function flagLabel(code: string): string {
  return (FLAG_LABELS as Record<string, string>)[code] ?? code;
}

export const SHORT_FLAG_LABELS: Record<FlagCode, string> = {
  on_top: 'On top',
  injecting: 'Injecting',
  depressant_co_use: 'Depressants',
  recent_overdose: 'Overdose',
  lowered_tolerance: 'Release',
  treatment_transition: 'Transition',
  potent_opioid: 'Potent opioid',
  housing: 'Housing',
  health: 'Health',
  no_naloxone: 'No naloxone',
};

export const STAGE_LABELS: Record<Stage, string> = {
  MAT1: 'MAT 1 (induction)',
  MAT2: 'MAT 2 (using on top)',
  MAT3: 'MAT 3 (not using on top)',
  MAT4: 'MAT 4 (detoxification)',
  uncategorised: 'Uncategorised',
};

export const STATUS_LABELS: Record<ActionStatus, string> = { planned: 'Planned', done: 'Done', declined: 'Declined' };

const MEDICATIONS: Record<string, string> = {
  methadone: 'Methadone',
  buprenorphine: 'Buprenorphine (sublingual)',
  buprenorphine_weekly_injection: 'Buprenorphine weekly injection',
  buprenorphine_monthly_injection: 'Buprenorphine monthly injection',
  diamorphine: 'Diamorphine',
  morphine_sr: 'Slow-release morphine',
  other: 'Other OST',
};
export const medicationName = (m: string | null): string => (m === null ? '–' : (MEDICATIONS[m] ?? m));

export const MARKER_KINDS: readonly Marker['kind'][] = ['top', 'drug_test', 'risk_event', 'naloxone', 'sc_review'];
export const MARKER_INFO: Record<Marker['kind'], { label: string; short: string; colour: string; symbol: string }> = {
  top: { label: 'TOP', short: 'TOP', colour: '#005eb8', symbol: 'circle' },
  drug_test: { label: 'Drug test', short: 'Drug test', colour: '#ae2573', symbol: 'diamond' },
  risk_event: { label: 'Risk event', short: 'Risk event', colour: '#d5281b', symbol: 'triangle' },
  naloxone: { label: 'Naloxone supplied', short: 'Naloxone', colour: '#007f3b', symbol: 'rect' },
  sc_review: { label: 'SC review', short: 'SC review', colour: '#4c6272', symbol: 'roundRect' },
};

export const RISK_EVENT_TYPES: readonly [string, string][] = [
  ['non_fatal_overdose', 'Non-fatal overdose'],
  ['prison_release', 'Release from prison'],
  ['hospital_discharge', 'Discharge from hospital'],
  ['rehab_discharge', 'Discharge from residential rehab'],
  ['suicidal_ideation', 'Suicidal ideation'],
  ['self_harm', 'Self-harm'],
  ['respiratory_disease', 'Respiratory disease'],
  ['mental_health_crisis', 'Mental-health crisis'],
  ['bereavement', 'Bereavement'],
  ['other', 'Other'],
];

export const SUBSTANCES: readonly [string, string][] = [
  ['heroin_6mam', 'Heroin (6-MAM)'],
  ['morphine', 'Morphine'],
  ['codeine', 'Codeine'],
  ['methadone', 'Methadone'],
  ['buprenorphine', 'Buprenorphine'],
  ['fentanyl', 'Fentanyl'],
  ['nitazene', 'Nitazene'],
  ['oxycodone', 'Oxycodone'],
  ['tramadol', 'Tramadol'],
  ['benzodiazepine', 'Benzodiazepine'],
  ['gabapentinoid', 'Gabapentinoid'],
  ['cocaine', 'Cocaine'],
  ['amphetamine', 'Amphetamine'],
  ['cannabis', 'Cannabis'],
  ['alcohol', 'Alcohol'],
  ['xylazine', 'Xylazine'],
  ['other', 'Other'],
];

export const substanceName = (s: string): string => SUBSTANCES.find(([k]) => k === s)?.[1] ?? s;
export const eventTypeName = (s: string): string => RISK_EVENT_TYPES.find(([k]) => k === s)?.[1] ?? s;

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
/** "2024-06-30" → "30 Jun 2024". */
export function dateLabel(iso: string | null | undefined): string {
  if (!iso) return '–';
  const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? iso : dateFormat.format(new Date(t));
}

export const yesNo = (v: boolean | null | undefined): string => (v === true ? 'Yes' : v === false ? 'No' : '–');
export const orDash = (v: number | string | null | undefined): string => (v === null || v === undefined || v === '' ? '–' : String(v));

/** Today as YYYY-MM-DD in the user's own time zone (for date inputs). */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
