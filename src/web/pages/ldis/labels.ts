/** Words for the LDIS codes, as partners and coordinators say them. */

export const SOURCE_LABELS: Record<string, string> = {
  police: 'Police',
  coroner: 'Coroner',
  ambulance: 'Ambulance service',
  emergency_department: 'A&E (emergency department)',
  treatment: 'Drug treatment service',
  hostel: 'Hostel or supported housing',
  outreach: 'Outreach team',
  prison: 'Prison',
  drug_checking: 'Drug checking service',
  pharmacy: 'Pharmacy',
  community: 'Community, peer or family',
  other: 'Other',
};

export const EVENT_TYPE_LABELS: Record<string, string> = {
  death: 'Death',
  non_fatal_overdose: 'Non-fatal overdose',
  ae_attendance: 'A&E attendance',
  ambulance_callout: 'Ambulance call-out',
  naloxone_administration: 'Naloxone given',
  drug_check_result: 'Drug checking result',
  seizure_test: 'Seizure or forensic test',
  prison_event: 'Prison event',
  intelligence: 'Intelligence',
};

export const ROUTE_LABELS: Record<string, string> = {
  injecting: 'Injecting',
  oral_tablet: 'Swallowed (tablet)',
  smoking: 'Smoking',
  snorting: 'Snorting',
  other: 'Other',
};

export const OUTCOME_LABELS: Record<string, string> = {
  died: 'Died',
  hospital: 'Taken to hospital',
  treated_at_scene: 'Treated at the scene',
  no_treatment: 'No treatment needed',
  unknown: 'Not known',
};

export const SEX_LABELS: Record<string, string> = { M: 'Male', F: 'Female', X: 'Other', U: 'Not known' };

export const STATUS_LABELS: Record<string, string> = {
  received: 'New',
  assessed: 'Assessed',
  decided: 'Decided',
  issued: 'Issued',
  closed: 'Closed',
};

export const DECISION_LABELS: Record<string, string> = {
  no_further_action: 'No further action',
  share_for_information: 'Share for information',
  formal_alert: 'Formal alert',
};

export const LEVEL_LABELS: Record<string, string> = { suspected: 'Suspected', probable: 'Probable', confirmed: 'Confirmed' };

export const TRI_LABELS: Record<string, string> = { Y: 'Yes', N: 'No', unknown: 'Not known' };

/** The Op Mabble yes/no questions on the form and the report page. */
export const TRI_QUESTIONS: ReadonlyArray<{ field: string; label: string; group: 'person' | 'drugs' | 'tests' }> = [
  { field: 'synthetic_opioid_suspected', label: 'Is a synthetic opioid (such as a nitazene) suspected?', group: 'drugs' },
  { field: 'class_a_user', label: 'Known or suspected class A drug user?', group: 'person' },
  { field: 'in_treatment', label: 'Currently in drug treatment?', group: 'person' },
  { field: 'hmo', label: 'Lives in a house in multiple occupation (HMO)?', group: 'person' },
  { field: 'street_sleeping', label: 'Sleeping on the street?', group: 'person' },
  { field: 'forensic_nitazene', label: 'Do forensics indicate a nitazene?', group: 'tests' },
  { field: 'tox_tested_nitazene', label: 'Toxicology: tested for nitazenes?', group: 'tests' },
  { field: 'tox_nitazene_present', label: 'Toxicology: nitazene present?', group: 'tests' },
  { field: 'tox_n_desethyl_isotonitazene', label: 'Toxicology: N-desethyl isotonitazene present?', group: 'tests' },
];

export function label(map: Record<string, string>, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return 'Not known';
  return map[value] ?? value;
}

/** "in 5 h 10 min" / "overdue by 3 h". */
export function minutesText(minutes: number | null): string {
  if (minutes === null) return '';
  const m = Math.abs(Math.round(minutes));
  const text = m >= 1440 ? `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h` : m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
  return minutes < 0 ? `overdue by ${text}` : `${text} left`;
}
