/**
 * Seed 000 Appendix 1, the Op Mabble "additional information request": the fields asked
 * of partners for each case, as data. `seedText` is the seed's wording, verbatim;
 * `label` is the column heading of the incident case list export (issue 5 item 5);
 * `column` is where the value comes from in incidents.csv.
 *
 * Derived columns (Beacon's reading, where the dataset has no column of that name):
 * - Death: yes if the event is a death or the outcome is died; no if it is a non-fatal
 *   overdose or the outcome is known and not death; otherwise unknown.
 * - Date of death: the event date when Death is yes.
 * - Non-fatal overdose: no if Death is yes; yes for a non-fatal overdose, A&E attendance,
 *   ambulance call-out or naloxone administration; otherwise unknown.
 * - Route: injecting → IDU, oral_tablet → Oral – tablet, smoking → Oral – smoking (the
 *   seed's three); snorting and other, which the dataset adds, by name.
 * - The coronial aspects ("could be added later") have no dataset column yet: their
 *   columns are present in the export and empty.
 */
import type { IncidentRecord, TriState, TriStateField } from './types';

export type OpMabbleValue = string | number | null;

export interface OpMabbleField {
  key: string;
  /** The seed's wording. */
  seedText: string;
  /** Column heading in the case list. */
  label: string;
  group: 'case' | 'coronial';
  /** The incidents.csv column it is read from, or null when derived or not yet collected. */
  column: keyof IncidentRecord | null;
  value: (r: IncidentRecord) => OpMabbleValue;
}

const TRI_LABEL: Record<TriState, string> = { Y: 'Yes', N: 'No', unknown: 'Unknown' };

function triField(field: TriStateField): (r: IncidentRecord) => string {
  return (r) => TRI_LABEL[r[field] ?? 'unknown'];
}

function death(r: IncidentRecord): TriState {
  if (r.event_type === 'death' || r.outcome === 'died') return 'Y';
  if (r.event_type === 'non_fatal_overdose') return 'N';
  if (r.outcome && r.outcome !== 'unknown') return 'N';
  return 'unknown';
}

function nonFatal(r: IncidentRecord): TriState {
  if (death(r) === 'Y') return 'N';
  if (['non_fatal_overdose', 'ae_attendance', 'ambulance_callout', 'naloxone_administration'].includes(r.event_type)) return 'Y';
  return 'unknown';
}

const ROUTE_LABEL: Record<NonNullable<IncidentRecord['route']>, string> = {
  injecting: 'IDU',
  oral_tablet: 'Oral – tablet',
  smoking: 'Oral – smoking',
  snorting: 'Snorting',
  other: 'Other',
};

export const OP_MABBLE_FIELDS: readonly OpMabbleField[] = [
  { key: 'death', seedText: 'Death – yes/no', label: 'Death', group: 'case', column: null, value: (r) => TRI_LABEL[death(r)] },
  {
    key: 'date_of_death',
    seedText: 'Date of Death',
    label: 'Date of death',
    group: 'case',
    column: null,
    value: (r) => (death(r) === 'Y' ? r.event_date : null),
  },
  { key: 'age', seedText: 'Age', label: 'Age', group: 'case', column: 'age', value: (r) => r.age ?? null },
  { key: 'sex', seedText: 'Sex', label: 'Sex', group: 'case', column: 'sex', value: (r) => r.sex ?? null },
  {
    key: 'non_fatal_overdose',
    seedText: 'Non-fatal overdose – yes/no',
    label: 'Non-fatal overdose',
    group: 'case',
    column: null,
    value: (r) => TRI_LABEL[nonFatal(r)],
  },
  { key: 'postcode', seedText: 'Postcode', label: 'Postcode', group: 'case', column: 'postcode', value: (r) => r.postcode ?? null },
  { key: 'hmo', seedText: 'HMO – yes / no', label: 'HMO', group: 'case', column: 'hmo', value: triField('hmo') },
  {
    key: 'street_sleeping',
    seedText: 'Street Sleeping – yes/no',
    label: 'Street sleeping',
    group: 'case',
    column: 'street_sleeping',
    value: triField('street_sleeping'),
  },
  {
    key: 'class_a_user',
    seedText: 'Suspected class A drug user – yes/no',
    label: 'Suspected class A drug user',
    group: 'case',
    column: 'class_a_user',
    value: triField('class_a_user'),
  },
  {
    key: 'in_treatment',
    seedText: 'Individual currently in drug treatment',
    label: 'Currently in drug treatment',
    group: 'case',
    column: 'in_treatment',
    value: triField('in_treatment'),
  },
  {
    key: 'route',
    seedText: 'Suspected route of administration – IDU, oral – tablet , oral – smoking',
    label: 'Suspected route of administration',
    group: 'case',
    column: 'route',
    value: (r) => (r.route ? ROUTE_LABEL[r.route] : 'Unknown'),
  },
  {
    key: 'forensic_nitazene',
    seedText: 'Evidential forensics indicate nitazene is present - yes/no',
    label: 'Evidential forensics indicate nitazene',
    group: 'case',
    column: 'forensic_nitazene',
    value: triField('forensic_nitazene'),
  },
  {
    key: 'tox_tested_nitazene',
    seedText: 'Toxicology- sample tested for nitazene - yes/no',
    label: 'Toxicology: tested for nitazene',
    group: 'case',
    column: 'tox_tested_nitazene',
    value: triField('tox_tested_nitazene'),
  },
  {
    key: 'tox_nitazene_present',
    seedText: 'Toxicology – sample indicates presence of nitazene – yes /no',
    label: 'Toxicology: nitazene present',
    group: 'case',
    column: 'tox_nitazene_present',
    value: triField('tox_nitazene_present'),
  },
  {
    key: 'tox_n_desethyl_isotonitazene',
    seedText: 'Toxicology – sample indicates presence of nitazene - N-Desethyl Isotonitazene – yes / no',
    label: 'Toxicology: N-desethyl isotonitazene present',
    group: 'case',
    column: 'tox_n_desethyl_isotonitazene',
    value: triField('tox_n_desethyl_isotonitazene'),
  },
  {
    key: 'coronial_nitazene_contributed',
    seedText: 'Whether nitazene caused or contributed to the death',
    label: 'Coroner: nitazene caused or contributed to the death',
    group: 'coronial',
    column: null,
    value: () => null,
  },
  {
    key: 'coronial_combination_effect',
    seedText:
      'Whether nitazene has a more adverse effect on the outcome when taken in combination with other illicit substances and if so which ones.',
    label: 'Coroner: more adverse in combination with (substances)',
    group: 'coronial',
    column: null,
    value: () => null,
  },
];

/** The Op Mabble case definition, verbatim (Appendix 1). */
export const OP_MABBLE_CASE_DEFINITION_TEXT: readonly string[] = [
  'Individuals who have died as a result of suspected illicit drug overdose or presented with symptoms of overdose and/or responded to Naloxone from the 1st June 2023',
  'Where the use of synthetic opioids is suspected or confirmed',
  'Within the geographical area of the West Midlands conurbation.',
];

/** Column headings of the Op Mabble part of the case list, in order. */
export function opMabbleHeaders(): string[] {
  return OP_MABBLE_FIELDS.map((f) => f.label);
}

/** One case-list row: field key → value, in OP_MABBLE_FIELDS order. */
export function opMabbleRow(r: IncidentRecord): Record<string, OpMabbleValue> {
  const row: Record<string, OpMabbleValue> = {};
  for (const f of OP_MABBLE_FIELDS) row[f.key] = f.value(r);
  return row;
}
