/**
 * Seed 000 Appendix 3, "suggestions of operational activity to include within plans",
 * transcribed as data: one entry per agency and step, each with its activities in the
 * seed's order and wording. Where the seed's text has a typing slip it is kept as
 * written (flagged in a comment), because this is the guidance partners will recognise.
 * The seed says these activities are illustrative and should be agreed locally: an area
 * may replace this table with its own.
 *
 * The table's rows continue over several lines per agency (the agency cell is blank on
 * continuation lines); those lines are joined to the agency above. A step is cumulative:
 * Step 2 is "As per Step 1, plus:", Step 3 "As per Steps 1&2, plus:".
 */
import type { Step } from './types';

export interface Activity {
  text: string;
  /** A bulleted list under the text, when the seed has one. */
  items?: readonly string[];
}

export interface AgencyStepActivities {
  agency: string;
  step: Step;
  activities: readonly Activity[];
}

/** The column headings of Appendix 3, verbatim. */
export const APPENDIX3_STEP_HEADINGS: Readonly<Record<Step, string>> = Object.freeze({
  1: 'Step 1 – prepare for SOs',
  2: 'Step 2 – reliable intelligence that SOs are present. As per Step 1, plus:',
  3: 'Step 3 – Confirmed presence of SOs and/or local rise in deaths/ODs. As per Steps 1&2, plus:',
});

/** The agencies (rows) of Appendix 3, in the seed's order. */
export const APPENDIX3_AGENCIES: readonly string[] = [
  'Harm Reduction and Treatment services',
  'LDIS',
  'Local authorities',
  'Police',
  'Probation',
  'Prisons',
  'Homelessness services (including outreach, hostels and supported housing)',
];

const CGL = 'See CGL’s NSO guidance as an example of planning.';
const IDEALLY = 'Ideally, this should include:';

export const APPENDIX3: readonly AgencyStepActivities[] = [
  // Harm Reduction and Treatment services
  {
    agency: 'Harm Reduction and Treatment services',
    step: 1,
    activities: [
      { text: CGL },
      {
        text: IDEALLY,
        items: [
          // The seed's closing parenthesis without an opening one, kept as written.
          'Naloxone - supply, stock management, identification of partners who should hold doses)',
          'OST provision',
          'Targeted outreach to treatment resistant populations and gain feedback on reasons why treatment is not being utilised',
          // The seed's unclosed parenthesis, kept as written.
          'Identification of all at-risk individuals (including those currently on caseload as well as those known to Tier 2 services',
          'Drafting of harm reduction messages and sharing with all staff',
        ],
      },
    ],
  },
  {
    agency: 'Harm Reduction and Treatment services',
    step: 2,
    activities: [
      { text: CGL },
      {
        text: IDEALLY,
        items: [
          'Increased outreach',
          'Naloxone - Prioritising supply to people not in treatment and to places with high levels of contact with at-risk groups (e.g. hostels, street outreach etc)',
          'OST (access, choice of meds)',
          'Cascade harm reduction messaging to all at-risk individuals and relevant services',
        ],
      },
    ],
  },
  {
    agency: 'Harm Reduction and Treatment services',
    step: 3,
    activities: [
      { text: CGL },
      {
        text: IDEALLY,
        items: ['Rapid scaling up of supply to all partners identified in Step 1.', 'Low threshold/same day OST prescribing'],
      },
    ],
  },
  // LDIS
  {
    agency: 'LDIS',
    step: 1,
    activities: [
      { text: 'Review membership of the PIN to ensure key partners are included' },
      { text: 'Review LDIS process and arrange trial run with partners (incl. LRF)' },
      { text: 'Consider circulating a monthly report to PIN on number and variety of submissions received in latest month' },
      {
        text: 'Frequent monitoring of results from the testing of local drug samples, including from:',
        // "WEDNIOS" is the seed's spelling of WEDINOS (the Welsh drug-testing service).
        items: ['Police forensic testing', 'WEDNIOS', 'Drug checking services (e.g. The Loop)'],
      },
    ],
  },
  {
    agency: 'LDIS',
    step: 2,
    activities: [
      { text: 'Arrange response meeting and enact response plan ensuring all key partners are engaged' },
      { text: 'Regular requests for information sent to PIN' },
      { text: 'Analyse available data and circulate reports to PIN when information is available' },
    ],
  },
  {
    agency: 'LDIS',
    step: 3,
    activities: [
      { text: 'Liaise with LRF and escalate to SCG if meeting local thresholds' },
      { text: 'Daily request for information sent to PIN' },
      { text: 'Bi-weekly/Weekly analysis circulated' },
    ],
  },
  // Local authorities
  {
    agency: 'Local authorities',
    step: 1,
    activities: [
      {
        text: "As per OHID's guidance, identify sources of additional and emergency funding to provide new or extended services in Steps 2&3, including:",
        items: ['Enhanced drug testing', 'Drug checking services', 'naloxone', 'treatment access (esp. OST)'],
      },
      { text: 'Agree critical components of frontline services to support prioritisation of services within Steps 2&3' },
      {
        text: "Review hostel/supported housing drug policies to ensure 'eyes wide open' approach is supported – including giving due consideration to varying contracts to make this a condition of service",
      },
      { text: 'Review current OST offer. Ensure appropriate focus on retention in treatment.' },
      {
        text: "Understand baseline in terms of access, optimisation of treatment, drop-out rates, operational capacity (as opposed to the less useful 'numbers in treatment'/'unmet need')",
      },
      {
        text: 'Undertake consultation, including with people reluctant to engage with OST, to understand the barriers to increasing treatment engagement – with view to creating an improvement plan',
      },
      { text: 'Consideration for the provision of injectable opioid treatment for those who do not respond to oral medications' },
    ],
  },
  {
    agency: 'Local authorities',
    step: 2,
    activities: [
      { text: 'Close liaison with frontline services to understand demands on services and to prioritise service delivery' },
      { text: 'Ensure all relevant adverse incidents occurring in hostels/supported accommodation are being reported into LDIS' },
      {
        text: 'Track access into treatment and monitor unplanned discharges (dropped out, etc.) and ensure resources appropriately allocated to maximise engagement of opiate clients.',
      },
      {
        text: 'Oversight/management of referral pathways to ensure strategic partners are appropriately referring at-risk cohorts (e.g. hospitals, police custody, prisons, etc).',
      },
    ],
  },
  {
    agency: 'Local authorities',
    step: 3,
    activities: [
      { text: 'Supporting frontline services to reallocate resources and staffing away from BAU towards emergency response' },
      {
        text: 'Pausing of current performance management framework to support harm reduction and treatment services focussing on emergency response without fear of future recrimination',
      },
      {
        text: 'Work with partners to ensure hostel/supported accommodation environments are identifying people who use drugs and are working to effectively mitigate the risk of death',
      },
    ],
  },
  // Police
  {
    agency: 'Police',
    step: 1,
    activities: [
      { text: 'Review current forensic testing capabilities and ability to share test results with partners' },
      { text: 'Review current process for sharing information on suspected drug deaths with LDIS and treatment services' },
      { text: 'Review referral pathways into treatment, ensuring all positive DTOAs for opiates are prioritised for referral' },
    ],
  },
  {
    agency: 'Police',
    step: 2,
    activities: [
      { text: 'Ensure substances of concern are submitted for testing and results shared with the incident response analyst' },
      { text: 'Ensure all deaths meeting the agreed case definition are shared with the incident response analyst' },
    ],
  },
  { agency: 'Police', step: 3, activities: [] },
  // Probation: the seed's row is empty at every step.
  { agency: 'Probation', step: 1, activities: [] },
  { agency: 'Probation', step: 2, activities: [] },
  { agency: 'Probation', step: 3, activities: [] },
  // Prisons
  {
    agency: 'Prisons',
    step: 1,
    activities: [
      {
        text: 'Review info sharing with CDPs (for onward sharing to respective LDIS) on:',
        items: [
          'prison drug finds',
          'under the influence test results (by substance)',
          'Number of drug-related health events (e.g. ambulance, hospitalisation etc).',
        ],
      },
    ],
  },
  {
    agency: 'Prisons',
    step: 2,
    activities: [{ text: 'Ensure all information related to drug harms is shared with CDPs (for onward sharing to respective LDIS)' }],
  },
  { agency: 'Prisons', step: 3, activities: [] },
  // Homelessness services
  {
    agency: 'Homelessness services (including outreach, hostels and supported housing)',
    step: 1,
    activities: [
      { text: "Review policies to ensure 'eyes wide open' approach is supported to mitigate the risk of death" },
      {
        text: 'Identify people who use drugs and ensure support/care plans are updated to include an overdose, "staying alive" plan',
      },
    ],
  },
  { agency: 'Homelessness services (including outreach, hostels and supported housing)', step: 2, activities: [] },
  { agency: 'Homelessness services (including outreach, hostels and supported housing)', step: 3, activities: [] },
];

export interface AgencyActivitiesAtStep {
  agency: string;
  /** Every activity that applies at the step, each marked with the step it comes from. */
  activities: Array<Activity & { fromStep: Step }>;
}

/**
 * What each agency does at a step: the activities of that step and of every step below
 * it ("As per Step 1, plus"), agencies in the seed's order.
 */
export function activitiesAtStep(step: Step, table: readonly AgencyStepActivities[] = APPENDIX3): AgencyActivitiesAtStep[] {
  const agencies: string[] = [];
  for (const row of table) if (!agencies.includes(row.agency)) agencies.push(row.agency);
  return agencies.map((agency) => ({
    agency,
    activities: table
      .filter((r) => r.agency === agency && r.step <= step)
      .sort((a, b) => a.step - b.step)
      .flatMap((r) => r.activities.map((a) => ({ ...a, fromStep: r.step }))),
  }));
}

/**
 * The reporting rhythm of each step, from the LDIS row of Appendix 3 (the `seed` lines,
 * verbatim) with the intervals Beacon uses by default. Where the seed gives no interval
 * ("regular", "when information is available", "Bi-weekly/Weekly"), Beacon's choice
 * follows domain.md §3.4 and issue 7: a weekly PIN report at Step 2 with weekly requests
 * for information, daily requests and a weekly analysis at Step 3.
 */
export interface ReportingRhythm {
  step: Step;
  /** Days between PIN reports (the periodic report of submissions and analysis). */
  pinReportEveryDays: number;
  /** Days between requests for information to the PIN; null = no routine requests. */
  requestForInformationEveryDays: number | null;
  summary: string;
  seed: readonly string[];
}

export const REPORTING_RHYTHM: Readonly<Record<Step, ReportingRhythm>> = Object.freeze({
  1: {
    step: 1,
    pinReportEveryDays: 30,
    requestForInformationEveryDays: null,
    summary: 'Monthly PIN report on the number and variety of submissions.',
    seed: ['Consider circulating a monthly report to PIN on number and variety of submissions received in latest month'],
  },
  2: {
    step: 2,
    pinReportEveryDays: 7,
    requestForInformationEveryDays: 7,
    summary: 'Regular (weekly) requests for information to the PIN; reports circulated weekly and whenever information is available.',
    seed: ['Regular requests for information sent to PIN', 'Analyse available data and circulate reports to PIN when information is available'],
  },
  3: {
    step: 3,
    pinReportEveryDays: 7,
    requestForInformationEveryDays: 1,
    summary: 'Daily requests for information to the PIN; analysis circulated weekly (or twice weekly).',
    seed: ['Daily request for information sent to PIN', 'Bi-weekly/Weekly analysis circulated'],
  },
});

/** Everything a step page shows: heading, activities by agency, reporting rhythm. */
export function stepGuide(step: Step): { heading: string; agencies: AgencyActivitiesAtStep[]; rhythm: ReportingRhythm } {
  return { heading: APPENDIX3_STEP_HEADINGS[step], agencies: activitiesAtStep(step), rhythm: REPORTING_RHYTHM[step] };
}
