/**
 * One person's care record (issue 4 §1, §2, §5): identity, MAT position with reasons,
 * prescription history with the events that matter beside it, the TOP tracker, episodes,
 * the overdose-risk profile with evidence and recommended actions, care-plan actions,
 * dose safety advisories and what is due. Every decision comes from src/domain (mat,
 * risk); this module only loads and assembles.
 *
 * The caller decides whether the person may be seen (src/server/access/person-access.ts);
 * this loads them whatever their service.
 */
import type { Db } from '../db';
import {
  classifyPerson,
  defaultMatConfig,
  doseAdvisories,
  type DoseAdvisory,
  type MatClassification,
  type MatConfig,
  type PrescriptionSegment,
  type ScReview,
  type Top,
} from '../../domain/mat';
import {
  addDays,
  depressantCoUse,
  describeTierRules,
  newFlagsSince,
  reviewsDue,
  riskContext,
  riskProfileInContext,
  type EpisodeRow,
  type Evidence,
  type FiredRule,
  type FlagCode,
  type NaloxoneRow,
  type ReviewsDue,
  type RiskConfig,
  type RiskEventRow,
  type RiskProfile,
} from '../../domain/risk';
import { loadPersonHistory, type PersonFullHistory } from '../history';
import { riskInputOf } from '../risk/input';
import { listCareActions, type CareActionRow } from './actions';
import { capturedFor, type CapturedRecord } from './capture';

/** The people row as stored (identity fields unmasked: the route masks them by role). */
export interface PersonIdentity {
  person_id: string;
  service_id: string;
  service_name: string | null;
  date_of_birth: string;
  sex: string;
  nhs_number: string | null;
  postcode: string | null;
  injecting_status: string | null;
  housing: string | null;
  lives_alone: boolean | null;
  consent: boolean | null;
}

/** Where a record came from: the case-management import, or captured on Beacon. */
export interface Provenance {
  source: 'import' | 'beacon';
  captured_by: string | null;
  captured_at: string | null;
}

export type SourcedEvidence = Evidence & Provenance;

export interface DrugTestGroup extends Provenance {
  test_id: string;
  date: string;
  sample: string | null;
  results: { substance: string; result: string | null }[];
}

export type MarkerKind = 'top' | 'drug_test' | 'risk_event' | 'naloxone' | 'sc_review';

/** An event drawn on the dose chart. */
export interface ChartMarker {
  kind: MarkerKind;
  id: string;
  date: string;
  label: string;
}

export interface PersonRecord {
  date: string;
  person: PersonIdentity;
  mat: MatClassification;
  profile: Omit<RiskProfile, 'flags'> & { flags: (Omit<RiskProfile['flags'][number], 'evidence'> & { evidence: SourcedEvidence[] })[] };
  /** Every configured tier rule, in order (the one that fired is `profile.rule`). */
  tierRules: readonly FiredRule[];
  /** Flags raised now that were not raised 7 days before `date`. */
  newFlags: FlagCode[];
  advisories: DoseAdvisory[];
  reviews: ReviewsDue;
  careActions: CareActionRow[];
  prescriptions: PrescriptionSegment[];
  markers: ChartMarker[];
  tops: Top[];
  drugTests: DrugTestGroup[];
  riskEvents: (RiskEventRow & Provenance)[];
  naloxone: (NaloxoneRow & Provenance)[];
  scReviews: ScReview[];
  episodes: EpisodeRow[];
}

export interface RecordOptions {
  date: string;
  riskConfig: RiskConfig;
  matConfig?: MatConfig;
}

const EVIDENCE_TABLE: Partial<Record<Evidence['kind'], CapturedRecord['table_name']>> = {
  risk_event: 'risk_events',
  naloxone: 'naloxone',
  drug_test: 'drug_tests',
};

function provenanceOf(captured: Map<string, CapturedRecord>, table: CapturedRecord['table_name'], id: string): Provenance {
  const c = captured.get(`${table}|${id}`);
  return c ? { source: 'beacon', captured_by: c.captured_by, captured_at: c.captured_at } : { source: 'import', captured_by: null, captured_at: null };
}

export async function loadIdentity(db: Db, personId: string): Promise<PersonIdentity | null> {
  const rows = await db.query<PersonIdentity>(
    `SELECT p.person_id, p.service_id, s.name AS service_name, p.date_of_birth, p.sex, p.nhs_number, p.postcode,
            p.injecting_status, p.housing, p.lives_alone, p.consent
       FROM people p JOIN services s ON s.service_id = p.service_id WHERE p.person_id = $1`,
    [personId],
  );
  return rows[0] ?? null;
}

/** Depressant co-use on a date, by the risk rules (used by the methadone day-1 advisory). */
export function depressantCoUseOn(h: PersonFullHistory, config: RiskConfig): (date: string) => boolean {
  const input = riskInputOf(h, null);
  return (date: string) => depressantCoUse(input, riskContext(date, config)) !== null;
}

function markersOf(h: PersonFullHistory, tests: DrugTestGroup[]): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const t of h.mat.tops) out.push({ kind: 'top', id: t.top_id, date: t.date, label: `TOP (${t.stage ?? 'stage not recorded'}): illicit opiates ${t.opiate_days ?? '–'} of 28 days` });
  for (const t of tests) {
    const pos = t.results.filter((r) => r.result === 'positive').map((r) => r.substance);
    out.push({ kind: 'drug_test', id: t.test_id, date: t.date, label: `Drug test: ${pos.length ? `positive for ${pos.join(', ')}` : 'all negative'}` });
  }
  for (const e of h.risk_events) out.push({ kind: 'risk_event', id: e.event_id, date: e.date, label: `Risk event: ${e.type.replaceAll('_', ' ')}` });
  for (const n of h.naloxone) out.push({ kind: 'naloxone', id: n.supply_id, date: n.date, label: `Naloxone supplied (${n.product ?? 'product not recorded'})` });
  for (const r of h.mat.sc_reviews ?? []) out.push({ kind: 'sc_review', id: r.review_id, date: r.date, label: `Supervised consumption review: ${r.decision ?? 'no decision'}` });
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind < b.kind ? -1 : 1));
}

function groupTests(h: PersonFullHistory, captured: Map<string, CapturedRecord>): DrugTestGroup[] {
  const byId = new Map<string, DrugTestGroup>();
  for (const r of h.mat.drug_tests) {
    let g = byId.get(r.test_id);
    if (!g) {
      g = { test_id: r.test_id, date: r.date, sample: r.sample ?? null, results: [], ...provenanceOf(captured, 'drug_tests', r.test_id) };
      byId.set(r.test_id, g);
    }
    g.results.push({ substance: r.substance, result: r.result });
  }
  return [...byId.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The record of one person on `date`, or null when there is no such person. */
export async function loadPersonRecord(db: Db, personId: string, opts: RecordOptions): Promise<PersonRecord | null> {
  const matConfig = opts.matConfig ?? defaultMatConfig;
  const [person, h, careActions, capturedList] = await Promise.all([
    loadIdentity(db, personId),
    loadPersonHistory(db, personId, { asOf: opts.date }),
    listCareActions(db, personId),
    capturedFor(db, personId),
  ]);
  if (person === null || h === null) return null;
  const captured = new Map(capturedList.map((c) => [`${c.table_name}|${c.record_id}`, c]));

  const mat = classifyPerson(h.mat, opts.date, matConfig, { reasons: true });
  const profile = riskProfileInContext(riskInputOf(h, mat), riskContext(opts.date, opts.riskConfig));
  const weekAgo = addDays(opts.date, -7);
  const before = classifyPerson(h.mat, weekAgo, matConfig);
  const previous = riskProfileInContext(riskInputOf(h, before), riskContext(weekAgo, opts.riskConfig));

  const tests = groupTests(h, captured);
  const latestTop = h.mat.tops.length ? h.mat.tops[h.mat.tops.length - 1]?.date ?? null : null;
  const latestTest = tests.length ? tests[tests.length - 1]?.date ?? null : null;

  return {
    date: opts.date,
    person,
    mat,
    profile: {
      ...profile,
      flags: profile.flags.map((f) => ({
        ...f,
        evidence: f.evidence.map((e) => {
          const table = EVIDENCE_TABLE[e.kind];
          return { ...e, ...(table ? provenanceOf(captured, table, e.id) : { source: 'import' as const, captured_by: null, captured_at: null }) };
        }),
      })),
    },
    tierRules: describeTierRules(opts.riskConfig),
    newFlags: newFlagsSince(profile, previous),
    advisories: doseAdvisories(h.mat.prescriptions, matConfig, { depressantCoUse: depressantCoUseOn(h, opts.riskConfig) }),
    reviews: reviewsDue(
      { inMat: mat.inMat, latestTopDate: latestTop, latestTestDate: latestTest },
      opts.date,
      { topReviewIntervalMonths: matConfig.topReviewIntervalMonths, evidenceWindowDays: matConfig.evidenceWindowDays },
    ),
    careActions,
    prescriptions: [...h.mat.prescriptions],
    markers: markersOf(h, tests),
    tops: [...h.mat.tops],
    drugTests: tests,
    riskEvents: h.risk_events.map((e) => ({ ...e, ...provenanceOf(captured, 'risk_events', e.event_id) })),
    naloxone: h.naloxone.map((n) => ({ ...n, ...provenanceOf(captured, 'naloxone', n.supply_id) })),
    scReviews: [...(h.mat.sc_reviews ?? [])],
    episodes: [...h.episodes],
  };
}
