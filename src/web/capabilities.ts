import type { TableName } from './api/types';

export interface Capability {
  key: 'mat' | 'risk' | 'early-warning' | 'assurance';
  path: string;
  /** Navigation label. */
  short: string;
  title: string;
  /** One sentence: what it does, for the home page card. */
  summary: string;
  /** Who uses it. */
  audience: string;
  /** What it does, in plain words, for its landing page. */
  does: readonly string[];
  /** The dataset tables it works from, most important first. */
  tables: readonly TableName[];
}

export const CAPABILITIES: readonly Capability[] = [
  {
    key: 'mat',
    path: '/mat',
    short: 'MAT',
    title: 'Medication-assisted treatment (MAT)',
    summary:
      'Tracks everyone on opioid substitution treatment through the MAT stages, compares doses with the Orange Guidelines and builds priority worklists.',
    audience: 'Keyworkers, prescribers and service managers.',
    does: [
      'Places each person in MAT on a stage at each month end: induction (MAT 1), using on top (MAT 2), not using on top (MAT 3), detoxification (MAT 4) or uncategorised when there is no recent Treatment Outcomes Profile (TOP) or drug test.',
      'Compares each daily dose with the Orange Guidelines range (methadone 60 to 120 mg, sublingual buprenorphine from 12 mg, prolonged-release injections by their licensed equivalents) and says whether the prescription is increasing, static or reducing.',
      'Groups people into the tracker cohorts – Red, Amber, Green, Grey and Uncategorised – for the service and the organisation.',
      'Builds priority worklists: people using on top below the guideline dose, supervised consumption reviews that are due, and everyone who needs a TOP or a drug test.',
    ],
    tables: ['people', 'prescriptions', 'top', 'drug_tests', 'episodes', 'sc_reviews'],
  },
  {
    key: 'risk',
    path: '/risk',
    short: 'Risk',
    title: 'Overdose risk',
    summary:
      'Builds an overdose risk profile for each person from their records, with the evidence for each flag and what to do next.',
    audience: 'Keyworkers, prescribers and service managers.',
    does: [
      'Raises risk flags from the records: using on top, injecting, alcohol or other depressants, a recent non-fatal overdose, lowered tolerance after prison, hospital or rehab, treatment transitions, fentanyl or nitazene tests, housing and physical or mental health.',
      'Gives each person a High, Medium or Low tier by transparent rules, with every rule shown beside the result – no hidden score.',
      'Shows gaps in protection, such as no take-home naloxone in the last 12 months, so the treatment plan can close them.',
    ],
    tables: ['people', 'risk_events', 'naloxone', 'top', 'drug_tests', 'prescriptions'],
  },
  {
    key: 'early-warning',
    path: '/early-warning',
    short: 'Early warning',
    title: 'Early warning (local drug information system)',
    summary:
      'Collects partner reports of overdoses, deaths and drug-checking results, spots rises above the baseline and supports alerts about synthetic opioids.',
    audience: 'LDIS coordinators, public-health analysts, partners and Professional Information Network (PIN) members.',
    does: [
      'Takes reports from partners – police, coroners, ambulance, A&E, hostels, prisons, drug checking and treatment services – and links reports of the same event into one case.',
      'Applies the local case definition for suspected synthetic opioid harm (suspected, probable or confirmed).',
      'Watches counts against their baselines and locally agreed triggers, and tracks the area’s step in the stepped approach.',
      'Supports the assessment, decision and alert workflow, and shares redacted, disclosure-controlled reports with wider partners.',
    ],
    tables: ['incidents', 'naloxone', 'risk_events'],
  },
  {
    key: 'assurance',
    path: '/assurance',
    short: 'Assurance',
    title: 'Partnership assurance',
    summary:
      'Runs the harm-reduction self-audit and the synthetic opioid preparedness plan, and sets outcomes beside regional and national figures.',
    audience: 'Service managers, commissioners and partnership leads.',
    does: [
      'Runs the harm-reduction self-audit: each item with its lead agencies, a red, amber or green status and actions, repeated over time.',
      'Keeps the synthetic opioid preparedness plan: who coordinates, the triggers, escalation, communications and what each agency does at each step.',
      'Supports the needs assessment: how many people are known to treatment against the estimated number of users, and outcomes beside regional and national figures.',
    ],
    tables: ['services', 'people', 'episodes', 'naloxone'],
  },
];
