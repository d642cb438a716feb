/**
 * The shape of a partner report as submitted by a form or a partner's system: the
 * columns of incidents.csv (dataset.md) without report_id and received_at (Beacon assigns
 * both), plus the partner's own report id, which makes a retried submission idempotent.
 *
 * Unknown is always a valid answer: every Op Mabble item may be left out, sent as null,
 * or (yes/no items) sent as "unknown". Unknown property names are refused, so a misspelt
 * column never silently becomes "unknown".
 */
import { z } from 'zod';
import { outwardCode, parsePostcode } from '../../domain/disclosure/identifiers';
import { dayNumber } from '../../domain/ldis/dates';
import {
  INCIDENT_EVENT_TYPES,
  INCIDENT_SOURCES,
  OUTCOMES,
  ROUTES,
  TRI_STATE_FIELDS,
  type IncidentRecord,
  type TriState,
  type TriStateField,
} from '../../domain/ldis/types';

const triState = z
  .union([z.enum(['Y', 'N', 'unknown', '']), z.boolean(), z.null()])
  .optional()
  .describe('Y, N or unknown (also true/false; empty, null or missing = unknown)');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => dayNumber(s) !== null, 'not a real date');

/** Event dates may not be more than a day ahead of the server's clock (time zones). */
function notInFuture(s: string): boolean {
  const d = dayNumber(s);
  return d === null || d <= Math.floor(Date.now() / 86_400_000) + 1;
}

export const reportSubmissionSchema = z.strictObject({
  partner_report_id: z
    .string()
    .min(1, "the partner's own report id is required")
    .max(100)
    .regex(/^\S(?:.*\S)?$/, 'no spaces at the start or end')
    .describe("The partner's own report id: a retried submission with the same id returns the first report"),
  on_behalf_of: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Coordinators entering a report for a partner: the partner organisation, kept with the submission (ignored for partner submitters)'),
  source: z.enum(INCIDENT_SOURCES),
  event_date: isoDate.refine(notInFuture, 'the event date is in the future'),
  event_type: z.enum(INCIDENT_EVENT_TYPES),
  local_authority: z.string().regex(/^[EWSN]\d{8}$/, 'an ONS local authority code such as E08000025'),
  age: z.number().int('a whole number of years').min(0).max(120).nullable().optional(),
  sex: z.enum(['M', 'F', 'X', 'U']).nullable().optional(),
  postcode: z
    .string()
    .max(10)
    .refine((v) => v.trim() === '' || outwardCode(v) !== null, 'a UK postcode or postcode district (e.g. B12 9QT or B12)')
    .nullable()
    .optional(),
  hmo: triState,
  street_sleeping: triState,
  class_a_user: triState,
  in_treatment: triState,
  route: z.enum(ROUTES).nullable().optional(),
  naloxone_doses: z.number().int('a whole number').min(0).max(100).nullable().optional(),
  synthetic_opioid_suspected: triState,
  forensic_nitazene: triState,
  tox_tested_nitazene: triState,
  tox_nitazene_present: triState,
  tox_n_desethyl_isotonitazene: triState,
  substances: z
    .union([z.string().max(500), z.array(z.string().max(100)).max(30)])
    .nullable()
    .optional()
    .describe('Semicolon-separated text or a list'),
  outcome: z.enum(OUTCOMES).nullable().optional(),
  location_type: z.string().max(100).nullable().optional(),
  notes: z.string().max(4000).nullable().optional(),
  exercise: z.union([z.boolean(), z.enum(['Y', 'N'])]).optional().describe('Drill data: Y/true'),
});
export type ReportSubmission = z.infer<typeof reportSubmissionSchema>;

/** A report's content as Beacon stores it (no id or received time yet). */
export type IncidentInput = Omit<IncidentRecord, 'report_id' | 'received_at'>;

function triOf(v: ReportSubmission[TriStateField]): TriState {
  if (v === true || v === 'Y') return 'Y';
  if (v === false || v === 'N') return 'N';
  return 'unknown';
}

function textOrNull(v: string | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** Splits and trims the substances column. */
export function splitSubstances(v: string | readonly string[] | null | undefined): string[] {
  if (v === undefined || v === null) return [];
  const parts = typeof v === 'string' ? v.split(';') : v;
  return parts.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Normalises a validated submission: tri-states to Y/N/unknown, postcodes upper case with
 * one space (a district stays a district), empty text to null.
 */
export function normaliseSubmission(s: ReportSubmission): IncidentInput {
  const pc = textOrNull(s.postcode);
  const out: IncidentInput = {
    source: s.source,
    event_date: s.event_date,
    event_type: s.event_type,
    local_authority: s.local_authority,
    age: s.age ?? null,
    sex: s.sex ?? null,
    postcode: pc === null ? null : (parsePostcode(pc)?.postcode ?? outwardCode(pc)),
    route: s.route ?? null,
    naloxone_doses: s.naloxone_doses ?? null,
    substances: splitSubstances(s.substances),
    outcome: s.outcome ?? null,
    location_type: textOrNull(s.location_type),
    notes: textOrNull(s.notes),
    exercise: s.exercise === true || s.exercise === 'Y',
  };
  for (const f of TRI_STATE_FIELDS) out[f] = triOf(s[f]);
  return out;
}

/** Field-level problems, in the API's problem+json `errors` shape. */
export function submissionErrors(body: unknown): Array<{ field: string; message: string }> {
  const r = reportSubmissionSchema.safeParse(body);
  if (r.success) return [];
  return r.error.issues.map((i) => ({
    field: i.path.length > 0 ? i.path.map(String).join('.') : (i.code === 'unrecognized_keys' ? i.keys.join(', ') : ''),
    message: i.message,
  }));
}
