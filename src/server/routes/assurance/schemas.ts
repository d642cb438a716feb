/**
 * Response schemas of the assurance API (the shapes are the data layer's, in
 * src/data/assurance): they make the OpenAPI document complete, and every response is
 * checked against them when it is sent. Objects are exact: a field the data layer adds
 * must be added here too, or the route test (which compares responses with the data
 * layer) fails.
 */
import { z } from 'zod';
import { MEASURE_KEYS } from '../../../domain/assurance/measures';
import { SUBSTANCE_GROUPS } from '../../../domain/assurance/needs';
import { RAG_RATINGS } from '../../../domain/assurance/rag';
import { errorResponses, problemSchema } from '../../problem';

const rating = z.enum(RAG_RATINGS);
const ratingChange = z.enum(['improved', 'worsened', 'unchanged', 'newly_rated', 'no_longer_rated', 'not_rated']);
const counts = z.object({ red: z.number().int(), amber: z.number().int(), green_amber: z.number().int(), green: z.number().int(), not_rated: z.number().int() });
const changeCounts = z.object({ improved: z.number().int(), worsened: z.number().int(), unchanged: z.number().int(), newly_rated: z.number().int(), no_longer_rated: z.number().int(), not_rated: z.number().int() });

export const withConflict = { ...errorResponses, 409: problemSchema } as const;
export const idResponse = z.object({ id: z.number().int() });

// ---- templates ----
export const templateSummary = z.object({ id: z.string(), name: z.string(), source: z.string(), description: z.string(), builtin: z.boolean(), items: z.number().int() });
export const templateSchema = z.object({
  id: z.string(),
  name: z.string(),
  source: z.string(),
  description: z.string(),
  builtin: z.boolean(),
  sections: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      items: z.array(z.object({ key: z.string(), text: z.string(), lead: z.string().nullable(), measures: z.array(z.enum(MEASURE_KEYS)).readonly().optional(), seedRating: rating.optional() })).readonly(),
    }),
  ).readonly(),
});

// ---- audits ----
const measureValue = z.object({ key: z.enum(MEASURE_KEYS), value: z.number().nullable(), numerator: z.number().nullable(), denominator: z.number().nullable(), asOf: z.string(), note: z.string().nullable() });
const auditBase = {
  id: z.number().int(),
  template_id: z.string(),
  template_name: z.string(),
  title: z.string(),
  area: z.string(),
  as_of: z.string(),
  previous_id: z.number().int().nullable(),
  round: z.number().int(),
  status: z.enum(['draft', 'completed']),
  created_by: z.string(),
  created_at: z.string(),
  completed_by: z.string().nullable(),
  completed_at: z.string().nullable(),
  counts,
};
export const auditSummary = z.object(auditBase);
const itemChange = z.object({
  key: z.string(),
  rating: z.object({ before: rating.nullable(), after: rating.nullable(), change: ratingChange }),
  commentsChanged: z.boolean(),
  actionsAdded: z.number().int(),
  actionsCompleted: z.number().int(),
  evidenceAdded: z.number().int(),
  measures: z.array(z.object({ key: z.enum(MEASURE_KEYS), before: z.number().nullable(), after: z.number().nullable(), trend: z.enum(['better', 'worse', 'same']).nullable() })),
  changed: z.boolean(),
});
export const auditItem = z.object({
  key: z.string(),
  text: z.string(),
  template_lead: z.string().nullable(),
  lead: z.string().nullable(),
  rating: rating.nullable(),
  comments: z.string(),
  evidence: z.array(z.object({ label: z.string(), url: z.string() })),
  actions: z.array(z.object({ id: z.number().int(), text: z.string(), owner: z.string().nullable(), due: z.string().nullable(), status: z.enum(['open', 'done']) })),
  measures: z.array(measureValue),
  measures_live: z.boolean(),
  seed_rating: rating.nullable(),
  updated_by: z.string().nullable(),
  updated_at: z.string().nullable(),
  change: itemChange.nullable(),
});
export const auditDetail = z.object({
  ...auditBase,
  source: z.string(),
  sections: z.array(z.object({ key: z.string(), title: z.string(), items: z.array(auditItem) })),
  previous: z.object({ id: z.number().int(), title: z.string(), as_of: z.string(), status: z.enum(['draft', 'completed']) }).nullable(),
  changes: changeCounts.nullable(),
});

// ---- partner directory ----
export const partnerSchema = z.object({
  id: z.number().int(),
  organisation: z.string(),
  agency_type: z.string(),
  contact_name: z.string(),
  contact_role: z.string(),
  email: z.string(),
  phone: z.string(),
  pin_member: z.boolean(),
  ldis_partner: z.string().nullable(),
  active: z.boolean(),
});

// ---- the plan ----
const contact = z.object({ name: z.string(), role: z.string(), organisation: z.string(), email: z.string(), phone: z.string() });
const step = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export const planContent = z.object({
  title: z.string(),
  area: z.string(),
  coordinator: contact,
  chair: contact,
  invitees: z.array(z.number().int()),
  triggerNote: z.string(),
  escalation: z.object({ lrfName: z.string(), contacts: z.array(contact), guidance: z.string() }),
  circulation: z.array(z.number().int()),
  commsAudiences: z.array(z.string()),
  activities: z.array(z.object({ agency: z.string(), step, activities: z.array(z.object({ text: z.string(), items: z.array(z.string()).optional() })) })),
});
const fieldChange = z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), before: z.string().nullable(), after: z.string().nullable() });
export const trialRunSchema = z.object({
  id: z.number().int(),
  plan_version: z.number().int(),
  scenario: z.string(),
  report_ids: z.array(z.string()),
  started_by: z.string(),
  started_at: z.string(),
  what_happened: z.string().nullable(),
  improvements: z.string().nullable(),
  recorded_by: z.string().nullable(),
  recorded_at: z.string().nullable(),
  closed_by: z.string().nullable(),
  closed_at: z.string().nullable(),
});
export const planView = z.object({
  id: z.number().int(),
  version: z.number().int(),
  content: planContent,
  changed_by: z.string(),
  changed_at: z.string(),
  versions: z.array(z.object({ version: z.number().int(), changed_by: z.string(), changed_at: z.string(), note: z.string(), changes: z.array(fieldChange) })),
  partners: z.array(partnerSchema),
  triggers: z.object({
    source: z.enum(['early-warning settings', 'defaults (early-warning settings not readable)']),
    countTriggers: z.array(z.object({ indicator: z.string(), indicatorLabel: z.string(), id: z.string(), description: z.string() })),
    exceedance: z.array(z.object({ indicator: z.string(), indicatorLabel: z.string(), method: z.string() })),
    stepRules: z.array(z.object({ id: z.string(), step, text: z.string() })),
    areaSteps: z.array(z.object({ area: z.string(), step: z.number().int(), since: z.string() })),
    problem: z.string().nullable(),
  }),
  gaps: z.array(z.string()),
  trial_runs: z.array(trialRunSchema),
});
export const versionResponse = z.object({ version: z.number().int() });
export const trialRunDetail = trialRunSchema.extend({
  reports: z.array(
    z.object({
      report_id: z.string(),
      source: z.string(),
      received_at: z.string(),
      status: z.string(),
      assessed_at: z.string().nullable(),
      minutes_to_assessment: z.number().int().nullable(),
      decided_at: z.string().nullable(),
      decision: z.string().nullable(),
    }),
  ),
  summary: z.object({
    started: z.number().int(),
    received: z.number().int(),
    assessed: z.number().int(),
    decided: z.number().int(),
    max_minutes_to_assessment: z.number().int().nullable(),
    median_minutes_to_assessment: z.number().int().nullable(),
    assessed_within_24h: z.number().int(),
  }),
});

// ---- needs assessment ----
/** src/domain/disclosure CellStatus. */
const CELL_STATUSES = ['shown', 'rounded', 'primary-suppressed', 'secondary-suppressed'] as const;
const rate = z.object({ numerator: z.number(), denominator: z.number(), pct: z.number().nullable() });
const publishedCell = z.object({ value: z.number().nullable(), display: z.string(), status: z.enum(CELL_STATUSES) });
const comparatorRow = z.object({ id: z.number().int().nullable(), measure: z.enum(['successful_exits', 'employment', 'housing', 'penetration']), level: z.enum(['regional', 'national']), value: z.number(), period: z.string(), source: z.string() });
export const enteredComparator = comparatorRow.extend({ id: z.number().int(), entered_by: z.string(), entered_at: z.string() });
export const prevalenceRow = z.object({
  id: z.number().int(),
  area: z.string(),
  substance: z.enum(SUBSTANCE_GROUPS),
  estimate: z.number(),
  rate_per_1000: z.number().nullable(),
  year: z.string(),
  source: z.string(),
  entered_by: z.string(),
  entered_at: z.string(),
});
export const needsReportSchema = z.object({
  date: z.string(),
  prevalence: z.array(prevalenceRow),
  penetration: z.object({ known: z.number(), estimate: z.number(), pct: z.number().nullable(), areas: z.array(z.string()), note: z.string().nullable() }).nullable(),
  figures: z.array(
    z.object({
      key: z.enum(['successful_exits', 'employment', 'housing', 'penetration']),
      years: z.array(z.object({ to: z.string(), rate, shared: z.object({ numerator: publishedCell, denominator: publishedCell, pct: z.number().nullable() }) })),
      regional: comparatorRow.nullable(),
      national: comparatorRow.nullable(),
    }),
  ),
  comparators_entered: z.array(enteredComparator),
  disclosure: z.string(),
});

export const needsImportBody = z.strictObject({
  file_name: z.string().min(1).max(200).describe('The file name, used in the problem list'),
  csv: z.string().min(1, 'the file is empty').max(2_000_000).describe('area,substance,estimate,rate_per_1000,year,source (prevalence) or measure,level,value,period,source (comparators)'),
});
export const needsImportResponse = z.object({ file: z.string(), kind: z.enum(['prevalence', 'comparators']), rows: z.number().int(), created: z.number().int(), unchanged: z.number().int() });
const csvProblem = z.object({ file: z.string(), line: z.number().int(), column: z.string(), value: z.string(), expected: z.string(), message: z.string() });
export const needsImportProblem = problemSchema.extend({ problems: z.array(csvProblem).optional().describe('Every problem in the file: file, line, column, value, expected') });
