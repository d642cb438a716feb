/**
 * Seed 000 Appendix 2, "partner information requests", as data: the draft data items
 * areas are asked to agree with partners (agency, proposed data, rationale,
 * considerations — verbatim; a blank cell in the seed is null, where the original table
 * probably merged it with the row above).
 *
 * Beacon adds `feed`: where the item arrives in Beacon, so the data-flow-gaps view
 * (issue 5 item 6: "when it last submitted and how many reports") can count it — either
 * partner reports (incidents.csv) from given sources and event types, or another dataset
 * file.
 */
import type { IncidentEventType, IncidentSource } from './types';

export type DataItemFeed =
  | { kind: 'incidents'; sources: readonly IncidentSource[]; eventTypes: readonly IncidentEventType[] }
  | { kind: 'dataset'; file: string; note: string };

export interface PartnerDataItem {
  id: string;
  agency: string;
  proposedData: string;
  rationale: string | null;
  considerations: string | null;
  feed: DataItemFeed;
}

const DRD_AWARE =
  'To ensure drug-related death review boards/LDIS are fully aware of the harms occurring with their areas to enable the development of effective preventative responses';
const DRD_RESPONSE = 'Improved understanding of the response to preventing DRDs';
const PRISON_CULTURE = 'Improved understanding by community partners of the culture within prison drug use';

export const APPENDIX2: readonly PartnerDataItem[] = [
  {
    id: 'police-suspected-drug-deaths',
    agency: 'Police',
    proposedData:
      'Unexpected deaths where there is a suspicion of being drug related (Demographics, place of death, relevant notes of investigation (e.g. paraphernalia found at scene, individual known to use drugs, etc.))',
    rationale:
      'To ensure drug-related death review boards are aware of suspected drug-related deaths to allow relevant partners to be informed and for reviews to be carried out',
    considerations: 'Requires forces to have capacity to analyse unexpected death reports',
    feed: { kind: 'incidents', sources: ['police'], eventTypes: ['death'] },
  },
  {
    id: 'police-forensic-testing',
    agency: 'Police',
    proposedData: 'Information on forensic testing of drug seizures',
    rationale:
      'To understand the purity of drugs in circulation and the presence of any adulterants/ contaminants to support informed harm reduction messaging to be developed',
    considerations: 'Street level seizures would offer the best information',
    feed: { kind: 'incidents', sources: ['police'], eventTypes: ['seizure_test'] },
  },
  {
    id: 'coroner-toxicology',
    agency: 'Coroner',
    proposedData:
      "Results of coroners' toxicology tests that include substances controlled under the Misuse of Drugs Act and/or substances prescribed to treat drug dependency to be shared with drug-related death review boards/LDIS as soon as available",
    rationale:
      'To allow drug-related death review boards to understand the trends within drug use amongst those who die and develop harm reduction messaging to prevent further deaths where necessary',
    considerations:
      'Need to be mindful that this will be prior to confirmation of causation of death  Coroners independently decide on what to share and with whom – currently no standard information sharing agreement/process in place',
    feed: { kind: 'incidents', sources: ['coroner'], eventTypes: ['death'] },
  },
  {
    id: 'coroner-post-inquest',
    agency: 'Coroner',
    proposedData:
      'Following inquest, information relating to deaths meeting the ONS definition of drug poisoning and drug misuse deaths to be shared with drug related death review boards/LDIS',
    rationale: DRD_AWARE,
    considerations: 'Coroners independently decide on what to share and with whom - no standard information sharing agreement/process in place',
    feed: { kind: 'incidents', sources: ['coroner'], eventTypes: ['death'] },
  },
  {
    id: 'ambulance-overdose-callouts',
    agency: 'ICB/Ambulance Trust',
    proposedData:
      'Number and location of ambulance call-outs to drug overdoses and the outcome of the call-outs (e.g. taken to hospital, treated at scene, no treatment needed, died, etc.)  Broken down by drug type if possible',
    rationale: DRD_AWARE,
    considerations: 'Dependent on the level of detail able to be extracted from the electronic database',
    feed: { kind: 'incidents', sources: ['ambulance'], eventTypes: ['ambulance_callout'] },
  },
  {
    id: 'ambulance-naloxone',
    agency: 'ICB/Ambulance Trust',
    proposedData:
      'Number and location of ambulance callouts where naloxone was administered and the outcome of the call-outs (e.g. taken to hospital, treated at scene, no treatment needed, died, etc.)',
    rationale: null,
    considerations: null,
    feed: { kind: 'incidents', sources: ['ambulance'], eventTypes: ['naloxone_administration', 'ambulance_callout'] },
  },
  {
    id: 'hospital-ae-overdoses',
    agency: 'ICB/Hospital Trusts',
    proposedData:
      'Number of drug overdoses treated in A&E and the outcome of treatment (e.g. no treatment needed, treated and left, naloxone administered, admitted to ward, died, etc.)  Broken down by drug type and including toxicology test results if available',
    rationale: null,
    considerations: null,
    feed: { kind: 'incidents', sources: ['emergency_department'], eventTypes: ['ae_attendance'] },
  },
  {
    id: 'community-naloxone-administration',
    agency: 'Local authority/drug services',
    proposedData: 'Number and location of naloxone administration in the community (e.g. hostels, outreach, police, etc.)',
    rationale: 'To allow greater understanding of overdoses within localities to support improved targeting of resources',
    considerations: 'Requires a partner to have developed a centralised system of recording uses of naloxone',
    feed: {
      kind: 'incidents',
      sources: ['treatment', 'hostel', 'outreach', 'police', 'pharmacy', 'community', 'other'],
      eventTypes: ['naloxone_administration'],
    },
  },
  {
    id: 'naloxone-replacement-supply',
    agency: 'Local authority/drug services',
    proposedData:
      'Doses of naloxone supplied by drug services in the latest time period to replace doses used to save a life  Broken down by groups supplied if possible (e.g. PWUDs, family members, professionals, etc)',
    rationale: DRD_RESPONSE,
    considerations: null,
    feed: { kind: 'dataset', file: 'naloxone.csv', note: 'supplies with reason replacement_used, by recipient' },
  },
  {
    id: 'ost-optimal-dose',
    agency: 'Local authority/drug services',
    proposedData: 'Proportion of OST caseload on a stable dose (i.e. not titrating/detoxing) who are optimally prescribed',
    rationale: DRD_RESPONSE,
    considerations: null,
    feed: { kind: 'dataset', file: 'prescriptions.csv', note: 'the MAT tracker: doses against the Orange Guidelines band' },
  },
  {
    id: 'prison-drug-finds',
    agency: 'Prisons',
    proposedData: 'Drug finds within each prison',
    rationale: PRISON_CULTURE,
    considerations: null,
    feed: { kind: 'incidents', sources: ['prison'], eventTypes: ['seizure_test', 'prison_event'] },
  },
  {
    id: 'prison-under-the-influence-tests',
    agency: 'Prisons',
    proposedData: 'Under the influence test results (e.g. the drugs people are using inside each prison)',
    rationale: PRISON_CULTURE,
    considerations: null,
    feed: { kind: 'incidents', sources: ['prison'], eventTypes: ['prison_event', 'drug_check_result'] },
  },
  {
    id: 'prison-health-events',
    agency: 'Prisons',
    proposedData: 'Number of drug related health events (e.g. ambulance, hospitalisation etc).',
    rationale: 'Improved understanding by community partners of drug-related harms within prison',
    considerations: null,
    feed: { kind: 'incidents', sources: ['prison'], eventTypes: ['prison_event'] },
  },
];

/** The data items a report counts towards (by its source and event type). */
export function dataItemsForReport(report: { source: IncidentSource; event_type: IncidentEventType }): PartnerDataItem[] {
  return APPENDIX2.filter((i) => i.feed.kind === 'incidents' && i.feed.sources.includes(report.source) && i.feed.eventTypes.includes(report.event_type));
}
