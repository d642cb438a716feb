/** Test data factories for the LDIS domain (used by the tests beside the code). */
import type { IncidentRecord } from './types';

let seq = 0;

/** A plain non-fatal overdose in Birmingham with nothing else known; override as needed. */
export function makeIncident(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  seq++;
  return {
    report_id: `R${seq}`,
    received_at: '2024-03-02T09:00:00Z',
    source: 'ambulance',
    event_date: '2024-03-01',
    event_type: 'non_fatal_overdose',
    local_authority: 'E08000025',
    ...overrides,
  };
}
