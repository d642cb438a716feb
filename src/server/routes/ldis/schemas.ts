import { z } from 'zod';
import { DECISIONS, GRADING_QUESTIONS, type GradingQuestionId } from '../../../domain/ldis/workflow';
import { OUTCOMES } from '../../../domain/ldis/types';
import { reportSubmissionSchema } from '../../../data/ldis/schema';

export const submitBody = reportSubmissionSchema;

export const submitResponse = z.object({
  report_id: z.string(),
  partner: z.string(),
  partner_report_id: z.string(),
  received_at: z.string(),
  created: z.boolean().describe('false when this was a replay of an earlier submission with the same partner report id'),
});

export const reportParams = z.object({ id: z.string().min(1).max(200) });
export const linkParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'a linkage operation id') });

const statusEnum = z.enum(['received', 'assessed', 'decided', 'issued', 'closed']);
export const inboxQuery = z.object({
  status: z
    .string()
    .regex(/^(received|assessed|decided|issued|closed)(,(received|assessed|decided|issued|closed))*$/, 'comma-separated statuses')
    .optional()
    .describe('Statuses to show (default received,assessed,decided)'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const triOut = z.enum(['Y', 'N', 'unknown']).optional();
const incident = z.object({
  report_id: z.string(),
  received_at: z.string(),
  source: z.string(),
  event_date: z.string(),
  event_type: z.string(),
  local_authority: z.string(),
  age: z.number().nullable().optional(),
  sex: z.enum(['M', 'F', 'X', 'U']).nullable().optional(),
  postcode: z.string().nullable().optional(),
  hmo: triOut,
  street_sleeping: triOut,
  class_a_user: triOut,
  in_treatment: triOut,
  route: z.string().nullable().optional(),
  naloxone_doses: z.number().nullable().optional(),
  synthetic_opioid_suspected: triOut,
  forensic_nitazene: triOut,
  tox_tested_nitazene: triOut,
  tox_nitazene_present: triOut,
  tox_n_desethyl_isotonitazene: triOut,
  substances: z.array(z.string()).readonly().optional(),
  outcome: z.string().nullable().optional(),
  location_type: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
  exercise: z.boolean().optional(),
});
const slaTimer = z.object({ dueAt: z.string(), completedAt: z.string().nullable(), state: z.string(), minutesRemaining: z.number().nullable() });
const sla = z.object({ assess: slaTimer, decide: slaTimer, overdue: z.boolean() });
const linkedCase = z.object({ caseId: z.string(), reportIds: z.array(z.string()) });
const candidate = z.object({
  report_id: z.string(),
  score: z.number(),
  band: z.enum(['likely', 'possible', 'unlikely']),
  summary: z.string(),
  source: z.string().nullable(),
  event_type: z.string().nullable(),
  event_date: z.string().nullable(),
  components: z.array(z.object({ name: z.string(), score: z.number(), known: z.boolean(), text: z.string() })),
});
const level = z.enum(['suspected', 'probable', 'confirmed']).nullable();
const counts = z.object({
  reports: z.number().int(),
  cases: z.number().int(),
  suspected: z.number().int(),
  probable: z.number().int(),
  confirmed: z.number().int(),
  not_a_case: z.number().int(),
  overdue: z.number().int(),
});

export const inboxResponse = z.object({
  now: z.string(),
  items: z.array(
    z.object({
      report: incident,
      exercise: z.boolean().describe('Drill report: labelled, and excluded from the real counts'),
      partner: z.string().nullable(),
      partner_report_id: z.string().nullable(),
      status: statusEnum,
      decision: z.enum(DECISIONS).nullable(),
      classification: z.object({ definition_id: z.string(), meets: z.boolean(), level, summary: z.string() }),
      sla,
      case: linkedCase,
      candidates: z.array(candidate),
    }),
  ),
  counts: z.object({ real: counts, exercise: counts }),
});

const linkageOp = z.object({
  id: z.string(),
  type: z.enum(['merge', 'split', 'undo']),
  report_ids: z.array(z.string()),
  target: z.string().nullable(),
  at: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
  active: z.boolean(),
});

const revision = z.object({
  revision: z.number().int(),
  at: z.string(),
  actor: z.string(),
  reason: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
});

const ruleRef = z.object({ id: z.string(), level: z.enum(['suspected', 'probable', 'confirmed']), text: z.string() });

export const reportResponse = z.object({
  report: incident,
  exercise: z.boolean(),
  partner: z.string().nullable(),
  partner_report_id: z.string().nullable(),
  submitted_by: z.string().nullable(),
  status: statusEnum,
  decision: z.enum(DECISIONS).nullable(),
  rationale: z.string().nullable(),
  classification: z.object({
    definitionId: z.string(),
    meets: z.boolean(),
    level,
    rule: ruleRef.nullable(),
    matchedRules: z.array(ruleRef),
    excludedBy: z.object({ id: z.string(), text: z.string() }).nullable(),
    checks: z.array(z.object({ name: z.enum(['area', 'period', 'harm', 'synthetic_opioids']), passed: z.boolean(), text: z.string() })),
    summary: z.string(),
    because: z.array(z.string()),
  }),
  sla,
  case: linkedCase,
  candidates: z.array(candidate),
  coronial: z.object({ nitazene_contributed: z.boolean().nullable(), combinations: z.string().nullable() }),
  revision: z.number().int(),
  history: z.array(z.object({ id: z.number(), at: z.string(), actor: z.string(), action: z.string(), payload: z.record(z.string(), z.unknown()) })),
  revisions: z.array(revision),
  linkage_ops: z.array(linkageOp),
  case_reports: z.array(incident),
});

function answerEnum(id: GradingQuestionId) {
  const q = GRADING_QUESTIONS.find((x) => x.id === id);
  const values = (q?.options ?? []).map((o) => o.value);
  return z.enum(values as [string, ...string[]]);
}

export const gradingAnswers = z.strictObject({
  local_relevance: answerEnum('local_relevance'),
  geographic_extent: answerEnum('geographic_extent'),
  likelihood_of_spread: answerEnum('likelihood_of_spread'),
  plausibility: answerEnum('plausibility'),
  source_type: answerEnum('source_type'),
});

export const assessmentBody = z
  .strictObject({
    answers: gradingAnswers.optional().describe('The grading questions (GRADING_QUESTIONS); omit to decide on an assessed report'),
    note: z.string().max(2000).optional(),
    decision: z.enum(DECISIONS).optional(),
    rationale: z.string().max(4000).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.answers === undefined && b.decision === undefined) ctx.addIssue({ code: 'custom', path: ['answers'], message: 'give the grading answers, a decision, or both' });
    if (b.decision !== undefined && (b.rationale ?? '').trim() === '') ctx.addIssue({ code: 'custom', path: ['rationale'], message: 'a decision needs a rationale' });
  });

export const assessmentResponse = z.object({
  report_id: z.string(),
  status: statusEnum,
  grading: z.record(z.string(), z.string()).nullable(),
  decision: z.enum(DECISIONS).nullable(),
  rationale: z.string().nullable(),
  sla,
  event_ids: z.array(z.number()),
});

export const linkBody = z.strictObject({
  report_ids: z.array(z.string().min(1).max(200)).min(1).max(50),
  type: z.enum(['merge', 'split']).default('merge').describe('merge (default): these reports are one event; split: take them out into a case of their own'),
  reason: z.string().max(2000).optional(),
});
export const unlinkQuery = z.object({ reason: z.string().max(2000).optional() });

export const linkResponse = z.object({ op: linkageOp, cases: z.array(linkedCase) });

const tri = z.enum(['Y', 'N', 'unknown']).optional();
export const revisionBody = z
  .strictObject({
    reason: z.string().min(1, 'say what the new information is').max(2000),
    fields: z
      .strictObject({
        outcome: z.enum(OUTCOMES).nullable().optional(),
        substances: z.array(z.string().min(1).max(100)).max(30).optional(),
        forensic_nitazene: tri,
        tox_tested_nitazene: tri,
        tox_nitazene_present: tri,
        tox_n_desethyl_isotonitazene: tri,
        synthetic_opioid_suspected: tri,
        notes: z.string().max(4000).nullable().optional(),
      })
      .optional(),
    coronial: z
      .strictObject({ nitazene_contributed: z.boolean().nullable().optional(), combinations: z.string().max(1000).nullable().optional() })
      .optional(),
  });
export const revisionResponse = z.object({ revision: revision.nullable() });

// --- Issue 5 additions: report lists, CSV import, partner tokens, case list, data-flow gaps ---

export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() });
export const listResponse = z.object({
  reports: z.array(
    z.object({
      report_id: z.string(),
      received_at: z.string(),
      source: z.string(),
      event_date: z.string(),
      event_type: z.string(),
      local_authority: z.string(),
      exercise: z.boolean(),
      partner: z.string().nullable(),
      partner_report_id: z.string().nullable(),
      submitted_by: z.string().nullable(),
      status: statusEnum,
    }),
  ),
});

export const importBody = z.strictObject({
  file_name: z.string().min(1).max(200).describe('The file name, used in the problem list'),
  csv: z.string().min(1, 'the file is empty').max(10_000_000).describe('The file in the incidents.csv format (dataset.md)'),
  partner: z.string().min(1).max(100).optional().describe('Coordinators: the partner organisation the file comes from (partner submitters: ignored, always their own)'),
});
export const csvProblem = z.object({ file: z.string(), line: z.number().int(), column: z.string(), value: z.string(), expected: z.string(), message: z.string() });
export const importResponse = z.object({
  file: z.string(),
  partner: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  replayed: z.number().int(),
  report_ids: z.array(z.string()),
});
export const importProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  problems: z.array(csvProblem).optional().describe('Every problem in the file: file, line, column, value, expected'),
});

export const tokenRecord = z.object({
  id: z.string(),
  partner: z.string(),
  label: z.string(),
  token_hint: z.string(),
  created_by: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  revoked_by: z.string().nullable(),
});
export const tokenBody = z.strictObject({
  partner: z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,99}$/, 'lower-case letters, digits and . _ : - only (for example west-midlands-police)'),
  label: z.string().trim().min(1, 'say what the token is for').max(200),
});
export const tokenCreated = z.object({ token: z.string().describe('Shown once: Beacon keeps only its hash'), record: tokenRecord });
export const tokenList = z.object({ tokens: z.array(tokenRecord) });
export const tokenParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'a token id') });

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const caseListQuery = z
  .object({
    from: isoDay.optional().describe('Event dates from (default: 90 days ago)'),
    to: isoDay.optional().describe('Event dates to (default: today)'),
    exercise: z.enum(['include', 'exclude']).optional().describe('Include drills (labelled); default exclude'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
const opValue = z.union([z.string(), z.number(), z.null()]);
export const caseListResponse = z.object({
  from: z.string(),
  to: z.string(),
  include_exercise: z.boolean(),
  columns: z.array(z.object({ key: z.string(), label: z.string() })),
  cases: z.array(
    z.object({
      case_id: z.string(),
      level: z.enum(['suspected', 'probable', 'confirmed']),
      local_authority: z.string(),
      event_date: z.string(),
      exercise: z.boolean(),
      report_ids: z.array(z.string()),
      sources: z.array(z.string()),
      fields: z.record(z.string(), opValue),
    }),
  ),
  by_area_week: z.array(
    z.object({ local_authority: z.string(), week: z.string(), cases: z.number(), suspected: z.number(), probable: z.number(), confirmed: z.number(), deaths: z.number() }),
  ),
  case_definition: z.array(z.string()).readonly(),
});

export const gapsQuery = z.object({ days: z.coerce.number().int().min(1).max(366).optional().describe('Period and gap threshold in days (default 28)') });
const flowRow = {
  last_at: z.string().nullable(),
  in_period: z.number().int(),
  status: z.enum(['reporting', 'quiet', 'never', 'not_applicable']),
  days_since: z.number().int().nullable(),
};
export const gapsResponse = z.object({
  now: z.string(),
  days: z.number().int(),
  partners: z.array(z.object({ partner: z.string(), kind: z.enum(['partner', 'ldis_team']), tokens: z.number().int(), ...flowRow })),
  sources: z.array(z.object({ source: z.string(), ...flowRow })),
  items: z.array(z.object({ id: z.string(), agency: z.string(), proposed_data: z.string(), feed: z.string(), ...flowRow })),
});
