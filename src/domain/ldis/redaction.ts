/**
 * The partner/PIN copy of a partner report (domain.md §3.5, issue 7 items 2 and 6):
 * no personal identifiers, place at postcode-district level, age as a band, free text
 * redacted, and nothing from a coroner unless permission to share has been recorded.
 *
 * Choices: the partner's own report id is dropped too (it lets the partner, and anyone
 * with access to the partner's system, go back to the person); the report is referred to
 * by the alert or case that includes it. Counts built from these copies still go through
 * disclosure control (`../disclosure`).
 */
import { redactRecord, type FieldRule, type KnownIdentifiers } from '../disclosure/redact';
import type { IncidentRecord } from './types';

export const INCIDENT_REDACTION_RULES: Readonly<Record<string, FieldRule>> = Object.freeze({
  report_id: 'drop',
  received_at: 'keep',
  source: 'keep',
  event_date: 'keep',
  event_type: 'keep',
  local_authority: 'keep',
  age: 'age_band',
  sex: 'keep',
  postcode: 'postcode_district',
  notes: 'free_text',
  location_type: 'free_text',
});

export interface RedactIncidentOptions {
  /** Permission to share this coroner's information has been recorded. Default false. */
  coronerSharingPermitted?: boolean;
  /** Identifiers of the person known from elsewhere (e.g. the linked case's other reports). */
  known?: KnownIdentifiers;
}

/** The shareable copy of a report, or null when it must be held back (coroner, no permission). */
export function redactIncident(incident: IncidentRecord, options: RedactIncidentOptions = {}): Record<string, unknown> | null {
  if (incident.source === 'coroner' && !options.coronerSharingPermitted) return null;
  const record: Record<string, unknown> = { ...incident };
  if (incident.substances) record.substances = [...incident.substances];
  return redactRecord(record, {
    rules: INCIDENT_REDACTION_RULES,
    otherFields: 'keep',
    referenceDate: incident.event_date,
    ...(options.known ? { known: options.known } : {}),
  });
}
