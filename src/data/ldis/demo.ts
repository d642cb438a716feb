/**
 * LDIS demo content (issue 5), so that `npm start` shows a living inbox: the history
 * (the dataset's partner reports and any earlier drill, all more than a week old and never
 * handled) is recorded as assessed, decided and closed, as a coordinator would have done; then a handful of fresh partner reports
 * arrive in the coordinator's area over the last two days (submitted the ordinary way,
 * relative to the time the demo is loaded so that the 24 h and 48 h timers are live):
 * one overdose reported by ambulance, A&E and police (for linkage), a nitazene-positive
 * drug check, a suspected death, naloxone use in a hostel, one report already assessed
 * and waiting for its decision, one overdue, and a drill. The content is fixed; only the
 * times move with the clock.
 */
import type { Db } from '../db';
import { recordAssessment } from './workflow';
import { submitReport } from './reports';
import type { ReportSubmission } from './schema';
import { createPartnerToken } from './tokens';

const HOUR = 3_600_000;

const ANSWERS = {
  local_relevance: 'occurred_here',
  geographic_extent: 'one_area',
  likelihood_of_spread: 'low',
  plausibility: 'plausible',
  source_type: 'professional_direct',
} as const;

interface Fresh {
  partner: string;
  by: string;
  hoursAgo: number;
  submission: ReportSubmission;
  assessHoursAgo?: number;
}

function fresh(area: string, day: (hoursAgo: number) => string): Fresh[] {
  return [
    {
      partner: 'bsol-ambulance',
      by: 'token:bsol-ambulance',
      hoursAgo: 30,
      submission: {
        partner_report_id: 'WMAS-2611-0412', source: 'ambulance', event_type: 'ambulance_callout', event_date: day(31), local_authority: area,
        age: 34, sex: 'M', postcode: 'B12', naloxone_doses: 3, synthetic_opioid_suspected: 'Y', route: 'injecting', substances: 'heroin',
        outcome: 'hospital', location_type: 'street', notes: 'Needed three doses of naloxone; crew suspect something stronger than heroin.',
      },
    },
    {
      partner: 'uhb-emergency-department',
      by: 'ed.nurse',
      hoursAgo: 26,
      submission: {
        partner_report_id: 'ED-77310', source: 'emergency_department', event_type: 'ae_attendance', event_date: day(31), local_authority: area,
        age: 35, sex: 'M', naloxone_doses: 1, synthetic_opioid_suspected: 'Y', substances: 'heroin; benzodiazepine', outcome: 'hospital',
        tox_tested_nitazene: 'Y', notes: 'Brought in by ambulance after overdose in the street; urine sent for nitazene testing.',
      },
    },
    {
      partner: 'police',
      by: 'police',
      hoursAgo: 20,
      submission: {
        partner_report_id: 'WMP-2611-5531', source: 'police', event_type: 'non_fatal_overdose', event_date: day(31), local_authority: area,
        age: 34, sex: 'M', class_a_user: 'Y', synthetic_opioid_suspected: 'unknown', substances: 'heroin', outcome: 'hospital',
        location_type: 'street', notes: 'Officers attended with ambulance; male known to police as a heroin user.',
      },
    },
    {
      partner: 'wedinos-drug-checking',
      by: 'drug.checking',
      hoursAgo: 14,
      submission: {
        partner_report_id: 'DC-2026-1182', source: 'drug_checking', event_type: 'drug_check_result', event_date: day(40), local_authority: area,
        synthetic_opioid_suspected: 'Y', forensic_nitazene: 'Y', substances: 'heroin; protonitazene',
        notes: 'Sample sold as heroin contained protonitazene. Submitted by an outreach worker.',
      },
    },
    {
      partner: 'police',
      by: 'police',
      hoursAgo: 9,
      submission: {
        partner_report_id: 'WMP-2611-5602', source: 'police', event_type: 'death', event_date: day(12), local_authority: area,
        age: 47, sex: 'F', hmo: 'Y', class_a_user: 'Y', synthetic_opioid_suspected: 'Y', route: 'smoking', substances: 'heroin; crack',
        outcome: 'died', location_type: 'hmo', notes: 'Sudden death in an HMO; paraphernalia found at scene.',
      },
    },
    {
      partner: 'hostel-partnership',
      by: 'hostel.staff',
      hoursAgo: 40,
      assessHoursAgo: 34,
      submission: {
        partner_report_id: 'HOS-0917', source: 'hostel', event_type: 'naloxone_administration', event_date: day(44), local_authority: area,
        age: 29, sex: 'F', naloxone_doses: 2, synthetic_opioid_suspected: 'unknown', outcome: 'treated_at_scene', location_type: 'hostel',
        notes: 'Staff gave two doses of nasal naloxone; resident recovered and declined hospital.',
      },
    },
    {
      partner: 'outreach-team',
      by: 'outreach',
      hoursAgo: 3,
      submission: {
        partner_report_id: 'EX-2026-11-A', source: 'outreach', event_type: 'non_fatal_overdose', event_date: day(4), local_authority: area,
        age: 40, sex: 'M', synthetic_opioid_suspected: 'Y', naloxone_doses: 4, substances: 'nitazene', outcome: 'hospital', exercise: 'Y',
        notes: 'EXERCISE: trial run of the partner reporting route.',
      },
    },
  ];
}

/** Seeds the LDIS demo: closes the imported history and files fresh reports in `localAuthority`. */
export async function seedDemoLdis(db: Db, ctx: { localAuthority: string; now?: string }): Promise<{ closed: number; fresh: number }> {
  const now = Date.parse(ctx.now ?? new Date().toISOString());
  const iso = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
  const day = (hoursAgo: number) => iso(hoursAgo).slice(0, 10);
  const coordinator = 'ldis';
  // The imported history: assessed 3 h, decided 20 h and closed 7 days after receipt.
  const closed = await db.transaction(async (tx) => {
    const rows = await tx.query<{ n: number }>(
      `WITH old AS (
         SELECT i.report_id, i.received_at FROM incidents i LEFT JOIN ldis_report_state s ON s.report_id = i.report_id
         WHERE i.received_at < $1::timestamptz - interval '7 days' AND coalesce(s.status, 'received') = 'received'
           AND NOT EXISTS (SELECT 1 FROM ldis_workflow_events e WHERE e.report_id = i.report_id)
       ), st AS (
         INSERT INTO ldis_report_state (report_id, status, assessed_at, decided_at, decision, rationale, close_reason, updated_at)
         SELECT report_id, 'closed', received_at + interval '3 hours', received_at + interval '20 hours', 'no_further_action',
                'Reviewed at the weekly LDIS meeting: no new threat identified.', 'completed', received_at + interval '7 days' FROM old
         ON CONFLICT (report_id) DO UPDATE SET status = excluded.status, assessed_at = excluded.assessed_at, decided_at = excluded.decided_at,
           decision = excluded.decision, rationale = excluded.rationale, close_reason = excluded.close_reason, updated_at = excluded.updated_at
         RETURNING report_id
       ), ev AS (
         INSERT INTO ldis_workflow_events (report_id, at, actor, action, payload)
         SELECT report_id, received_at + interval '3 hours', $2, 'assess', jsonb_build_object('answers', $3::jsonb) FROM old
         UNION ALL SELECT report_id, received_at + interval '20 hours', $2, 'decide',
                jsonb_build_object('decision', 'no_further_action', 'rationale', 'Reviewed at the weekly LDIS meeting: no new threat identified.') FROM old
         UNION ALL SELECT report_id, received_at + interval '7 days', $2, 'close', jsonb_build_object('reason', 'completed') FROM old
         RETURNING report_id
       )
       SELECT count(*)::int AS n FROM st`,
      [iso(0), coordinator, JSON.stringify(ANSWERS)],
    );
    // Gradings for the assess events just written.
    await tx.query(
      `INSERT INTO ldis_assessments (report_id, workflow_event_id, at, actor, local_relevance, geographic_extent, likelihood_of_spread, plausibility, source_type)
       SELECT e.report_id, e.id, e.at, e.actor, $1, $2, $3, $4, $5 FROM ldis_workflow_events e
       WHERE e.action = 'assess' AND NOT EXISTS (SELECT 1 FROM ldis_assessments a WHERE a.workflow_event_id = e.id)`,
      [ANSWERS.local_relevance, ANSWERS.geographic_extent, ANSWERS.likelihood_of_spread, ANSWERS.plausibility, ANSWERS.source_type],
    );
    return rows[0]?.n ?? 0;
  });
  let count = 0;
  for (const f of fresh(ctx.localAuthority, day).sort((a, b) => b.hoursAgo - a.hoursAgo)) {
    const r = await submitReport(db, { partner: f.partner, submittedBy: f.by, submission: f.submission, now: iso(f.hoursAgo) });
    if (r.created) count++;
    if (f.assessHoursAgo !== undefined && r.created) {
      await recordAssessment(db, r.reportId, { scope: {}, actor: coordinator, answers: ANSWERS, note: 'Awaiting the outcome of the resident’s review.', now: iso(f.assessHoursAgo) });
    }
  }
  // One partner system already has a token (the token itself is not kept anywhere).
  await createPartnerToken(db, { partner: 'bsol-ambulance', label: 'CAD system (demo)', createdBy: coordinator });
  return { closed, fresh: count };
}
