import type { TableName } from './api/types';

/** The files of dataset v1 (docs/dataset.md), in the order the import loads them. */
export const DATASET_FILES: readonly { table: TableName; file: string; label: string; required: string }[] = [
  { table: 'services', file: 'services.csv', label: 'Services', required: 'service_id, name' },
  { table: 'people', file: 'people.csv', label: 'People', required: 'person_id, service_id, date_of_birth, sex' },
  { table: 'episodes', file: 'episodes.csv', label: 'Treatment episodes', required: 'episode_id, person_id, start_date' },
  {
    table: 'prescriptions',
    file: 'prescriptions.csv',
    label: 'Prescriptions',
    required: 'prescription_id, person_id, medication, dose_mg, start_date',
  },
  { table: 'top', file: 'top.csv', label: 'Treatment Outcomes Profiles (TOP)', required: 'top_id, person_id, date' },
  { table: 'drug_tests', file: 'drug_tests.csv', label: 'Drug tests', required: 'test_id, person_id, date, substance, result' },
  { table: 'risk_events', file: 'risk_events.csv', label: 'Risk events', required: 'event_id, person_id, date, type' },
  { table: 'naloxone', file: 'naloxone.csv', label: 'Naloxone supplies', required: 'supply_id, date, product' },
  {
    table: 'sc_reviews',
    file: 'sc_reviews.csv',
    label: 'Supervised consumption reviews',
    required: 'review_id, person_id, date, decision',
  },
  {
    table: 'incidents',
    file: 'incidents.csv',
    label: 'Partner reports (LDIS incidents)',
    required: 'report_id, received_at, source, event_date, event_type, local_authority',
  },
];

export const DATASET_FILE_NAMES: ReadonlySet<string> = new Set(DATASET_FILES.map((f) => f.file));

export function fileForTable(table: string): string {
  return DATASET_FILES.find((f) => f.table === table)?.file ?? `${table}.csv`;
}
