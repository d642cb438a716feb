/**
 * Self-audits on the database: templates (shipped ones from code, users' in a table),
 * audits and their rounds, items with rating, comments, evidence and actions, and the
 * measures beside each item (live while the audit is a draft, frozen when completed).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  BUILTIN_TEMPLATES,
  RAG_RATINGS,
  buildUserTemplate,
  builtinTemplate,
  compareRounds,
  isMeasureKey,
  parseOutline,
  ragCounts,
  templateItems,
  templateMeasures,
  type AuditAction,
  type AuditTemplate,
  type EvidenceLink,
  type ItemChange,
  type MeasureValue,
  type RagRating,
  type RatingChange,
  type RoundItem,
} from '../../domain/assurance';
import { monthEnd } from '../../domain/mat';
import type { Db, Queryable } from '../db';
import { AssuranceError } from './errors';
import { computeMeasures, type MeasureOptions } from './measures';

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new AssuranceError('invalid', `${what} is not valid`, r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message })));
  return r.data;
}

// ---------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------

export interface TemplateSummary {
  id: string;
  name: string;
  source: string;
  description: string;
  builtin: boolean;
  items: number;
}

const summaryOf = (t: AuditTemplate): TemplateSummary => ({ id: t.id, name: t.name, source: t.source, description: t.description, builtin: t.builtin, items: templateItems(t).length });

interface TemplateRow {
  id: string;
  name: string;
  description: string;
  sections: AuditTemplate['sections'];
}

const fromRow = (r: TemplateRow): AuditTemplate => ({ id: r.id, name: r.name, source: 'Created in Beacon', description: r.description, builtin: false, sections: r.sections });

export async function listTemplates(db: Queryable): Promise<TemplateSummary[]> {
  const rows = await db.query<TemplateRow>('SELECT id, name, description, sections FROM assurance_templates ORDER BY created_at, id');
  return [...BUILTIN_TEMPLATES, ...rows.map(fromRow)].map(summaryOf);
}

export async function getTemplate(db: Queryable, id: string): Promise<AuditTemplate | null> {
  const b = builtinTemplate(id);
  if (b) return b;
  const rows = await db.query<TemplateRow>('SELECT id, name, description, sections FROM assurance_templates WHERE id = $1', [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export const templateInputSchema = z.strictObject({
  name: z.string().max(200),
  description: z.string().max(2000).optional(),
  /** "# Section" lines and "item | lead" lines. */
  outline: z.string().max(100_000),
});

export async function createTemplate(db: Queryable, body: unknown, by: string): Promise<AuditTemplate> {
  const input = parse(templateInputSchema, body, 'The template');
  const draft = parseOutline(input.name, input.description ?? '', input.outline);
  const built = buildUserTemplate(`user-${randomUUID().slice(0, 8)}`, draft, isMeasureKey);
  if (!built.ok) throw new AssuranceError('invalid', 'The template is not valid', built.problems.map((p) => ({ field: p.field.startsWith('sections') ? 'outline' : p.field, message: p.message })));
  const t = built.template;
  await db.query('INSERT INTO assurance_templates (id, name, description, sections, created_by) VALUES ($1, $2, $3, $4::jsonb, $5)', [t.id, t.name, t.description, JSON.stringify(t.sections), by]);
  return t;
}

// ---------------------------------------------------------------------------------------
// Audits
// ---------------------------------------------------------------------------------------

export interface AuditSummary {
  id: number;
  template_id: string;
  template_name: string;
  title: string;
  area: string;
  as_of: string;
  previous_id: number | null;
  round: number;
  status: 'draft' | 'completed';
  created_by: string;
  created_at: string;
  completed_by: string | null;
  completed_at: string | null;
  counts: Record<RagRating | 'not_rated', number>;
}

interface AuditRow {
  id: number;
  template_id: string;
  title: string;
  area: string;
  as_of: string;
  previous_id: number | null;
  status: 'draft' | 'completed';
  created_by: string;
  created_at: string;
  completed_by: string | null;
  completed_at: string | null;
  template: AuditTemplate;
}

const AUDIT_COLUMNS = 'id::int AS id, template_id, title, area, as_of, previous_id::int AS previous_id, status, created_by, created_at, completed_by, completed_at, template';

async function auditRow(db: Queryable, id: number): Promise<AuditRow | null> {
  const rows = await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM assurance_audits WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Round number: 1 + the rounds before it. */
function roundOf(row: AuditRow, byId: ReadonlyMap<number, AuditRow>): number {
  let n = 1;
  let prev = row.previous_id;
  const seen = new Set<number>([row.id]);
  while (prev !== null && !seen.has(prev)) {
    seen.add(prev);
    n += 1;
    prev = byId.get(prev)?.previous_id ?? null;
  }
  return n;
}

export async function listAudits(db: Queryable): Promise<AuditSummary[]> {
  const rows = await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM assurance_audits ORDER BY as_of DESC, id DESC`);
  const ratings = await db.query<{ audit_id: number; rating: RagRating | null }>('SELECT audit_id::int AS audit_id, rating FROM assurance_audit_items');
  const byAudit = new Map<number, (RagRating | null)[]>();
  for (const r of ratings) {
    const list = byAudit.get(r.audit_id) ?? [];
    list.push(r.rating);
    byAudit.set(r.audit_id, list);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((r) => ({
    id: r.id,
    template_id: r.template_id,
    template_name: r.template.name,
    title: r.title,
    area: r.area,
    as_of: r.as_of,
    previous_id: r.previous_id,
    round: roundOf(r, byId),
    status: r.status,
    created_by: r.created_by,
    created_at: r.created_at,
    completed_by: r.completed_by,
    completed_at: r.completed_at,
    counts: ragCounts(byAudit.get(r.id) ?? []),
  }));
}

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

export const auditInputSchema = z.strictObject({
  template_id: z.string().min(1, 'choose a template').max(100),
  title: z.string().trim().min(1, 'give the audit a title').max(200),
  area: z.string().trim().max(200).optional(),
  month: monthSchema.describe('The month whose end the measures are taken on'),
});

export const repeatInputSchema = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  month: monthSchema,
});

async function insertAudit(tx: Queryable, t: AuditTemplate, title: string, area: string, asOf: string, previousId: number | null, by: string): Promise<number> {
  const r = await tx.query<{ id: number }>(
    `INSERT INTO assurance_audits (template_id, title, area, as_of, previous_id, created_by, template) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id::int AS id`,
    [t.id, title, area, asOf, previousId, by, JSON.stringify(t)],
  );
  return r[0]!.id;
}

/** Starts a new audit (round 1) from a template; every item unrated, with the template's lead. */
export async function createAudit(db: Db, body: unknown, by: string): Promise<number> {
  const input = parse(auditInputSchema, body, 'The audit');
  const t = await getTemplate(db, input.template_id);
  if (!t) throw new AssuranceError('invalid', 'No such template', [{ field: 'template_id', message: `there is no template ${input.template_id}` }]);
  return db.transaction(async (tx) => {
    const id = await insertAudit(tx, t, input.title, input.area ?? '', monthEnd(input.month), null, by);
    for (const item of templateItems(t)) {
      await tx.query('INSERT INTO assurance_audit_items (audit_id, item_key, lead) VALUES ($1, $2, $3)', [id, item.key, item.lead]);
    }
    return id;
  });
}

/**
 * Starts the next round of an audit: same template (as frozen in the audit), with the
 * previous round's leads, ratings, comments and evidence and its open actions carried
 * forward, so what the new round changes shows against the last.
 */
export async function repeatAudit(db: Db, previousId: number, body: unknown, by: string): Promise<number> {
  const input = parse(repeatInputSchema, body, 'The new round');
  return db.transaction(async (tx) => {
    const prev = await auditRow(tx, previousId);
    if (!prev) throw new AssuranceError('not_found', `No audit ${previousId}`);
    const asOf = monthEnd(input.month);
    if (asOf <= prev.as_of) throw new AssuranceError('invalid', 'A new round must be for a later month', [{ field: 'month', message: `choose a month after ${prev.as_of.slice(0, 7)}` }]);
    const id = await insertAudit(tx, prev.template, input.title ?? prev.title, prev.area, asOf, prev.id, by);
    await tx.query(
      `INSERT INTO assurance_audit_items (audit_id, item_key, lead, rating, comments, evidence)
       SELECT $1, item_key, lead, rating, comments, evidence FROM assurance_audit_items WHERE audit_id = $2`,
      [id, prev.id],
    );
    await tx.query(
      `INSERT INTO assurance_actions (audit_id, item_key, text, owner, due_date, status, created_by)
       SELECT $1, item_key, text, owner, due_date, status, created_by FROM assurance_actions WHERE audit_id = $2 AND status = 'open' ORDER BY id`,
      [id, prev.id],
    );
    return id;
  });
}

export interface AuditItemView {
  key: string;
  text: string;
  template_lead: string | null;
  lead: string | null;
  rating: RagRating | null;
  comments: string;
  evidence: EvidenceLink[];
  actions: Required<AuditAction>[];
  measures: MeasureValue[];
  /** True when the measures are live (draft) rather than frozen at completion. */
  measures_live: boolean;
  seed_rating: RagRating | null;
  updated_by: string | null;
  updated_at: string | null;
  change: ItemChange | null;
}

export interface AuditDetail extends Omit<AuditSummary, 'counts'> {
  counts: Record<RagRating | 'not_rated', number>;
  source: string;
  sections: Array<{ key: string; title: string; items: AuditItemView[] }>;
  previous: { id: number; title: string; as_of: string; status: 'draft' | 'completed' } | null;
  changes: Record<RatingChange, number> | null;
}

interface ItemRow {
  item_key: string;
  lead: string | null;
  rating: RagRating | null;
  comments: string;
  evidence: EvidenceLink[];
  measures: MeasureValue[] | null;
  updated_by: string | null;
  updated_at: string | null;
}

interface ActionRow {
  id: number;
  item_key: string;
  text: string;
  owner: string | null;
  due_date: string | null;
  status: 'open' | 'done';
}

async function itemsOf(db: Queryable, auditId: number): Promise<{ items: Map<string, ItemRow>; actions: Map<string, Required<AuditAction>[]> }> {
  const items = await db.query<ItemRow>('SELECT item_key, lead, rating, comments, evidence, measures, updated_by, updated_at FROM assurance_audit_items WHERE audit_id = $1', [auditId]);
  const actions = await db.query<ActionRow>('SELECT id::int AS id, item_key, text, owner, due_date, status FROM assurance_actions WHERE audit_id = $1 ORDER BY id', [auditId]);
  const byItem = new Map<string, Required<AuditAction>[]>();
  for (const a of actions) {
    const list = byItem.get(a.item_key) ?? [];
    list.push({ id: a.id, text: a.text, owner: a.owner, due: a.due_date, status: a.status });
    byItem.set(a.item_key, list);
  }
  return { items: new Map(items.map((i) => [i.item_key, i])), actions: byItem };
}

function measuresFor(t: AuditTemplate, key: string, row: ItemRow | undefined, live: ReadonlyMap<string, MeasureValue> | null): MeasureValue[] {
  const item = templateItems(t).find((i) => i.key === key);
  const keys = item?.measures ?? [];
  if (live) return keys.map((k) => live.get(k)).filter((v): v is MeasureValue => v !== undefined);
  return row?.measures ?? [];
}

async function roundItems(db: Queryable, row: AuditRow, live: ReadonlyMap<string, MeasureValue> | null): Promise<RoundItem[]> {
  const { items, actions } = await itemsOf(db, row.id);
  return templateItems(row.template).map((i) => {
    const r = items.get(i.key);
    return { key: i.key, rating: r?.rating ?? null, comments: r?.comments ?? '', actions: actions.get(i.key) ?? [], evidence: r?.evidence ?? [], measures: measuresFor(row.template, i.key, r, live) };
  });
}

/** One audit with its items, measures and the changes since the previous round. */
export async function getAudit(db: Db, id: number, opts: MeasureOptions = {}): Promise<AuditDetail | null> {
  const row = await auditRow(db, id);
  if (!row) return null;
  const all = await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM assurance_audits`);
  const byId = new Map(all.map((r) => [r.id, r]));
  const live = row.status === 'draft' ? new Map((await computeMeasures(db, templateMeasures(row.template), row.as_of, opts)).map((m) => [m.key, m])) : null;
  const { items, actions } = await itemsOf(db, id);
  const prev = row.previous_id !== null ? (byId.get(row.previous_id) ?? null) : null;
  let comparison: ReturnType<typeof compareRounds> | null = null;
  if (prev) {
    // A previous draft's measures are shown as they are now; a completed one's as frozen.
    const prevLive = prev.status === 'draft' ? new Map((await computeMeasures(db, templateMeasures(prev.template), prev.as_of, opts)).map((m) => [m.key, m])) : null;
    comparison = compareRounds(await roundItems(db, prev, prevLive), await roundItems(db, row, live));
  }
  const changeOf = new Map((comparison?.items ?? []).map((c) => [c.key, c]));
  const sections = row.template.sections.map((s) => ({
    key: s.key,
    title: s.title,
    items: s.items.map((i): AuditItemView => {
      const r = items.get(i.key);
      return {
        key: i.key,
        text: i.text,
        template_lead: i.lead,
        lead: r?.lead ?? i.lead,
        rating: r?.rating ?? null,
        comments: r?.comments ?? '',
        evidence: r?.evidence ?? [],
        actions: actions.get(i.key) ?? [],
        measures: measuresFor(row.template, i.key, r, live),
        measures_live: live !== null,
        seed_rating: i.seedRating ?? null,
        updated_by: r?.updated_by ?? null,
        updated_at: r?.updated_at ?? null,
        change: changeOf.get(i.key) ?? null,
      };
    }),
  }));
  return {
    id: row.id,
    template_id: row.template_id,
    template_name: row.template.name,
    source: row.template.source,
    title: row.title,
    area: row.area,
    as_of: row.as_of,
    previous_id: row.previous_id,
    round: roundOf(row, byId),
    status: row.status,
    created_by: row.created_by,
    created_at: row.created_at,
    completed_by: row.completed_by,
    completed_at: row.completed_at,
    counts: ragCounts(sections.flatMap((s) => s.items.map((i) => i.rating))),
    sections,
    previous: prev ? { id: prev.id, title: prev.title, as_of: prev.as_of, status: prev.status } : null,
    changes: comparison?.summary ?? null,
  };
}

const urlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => {
    try {
      const p = new URL(u);
      return p.protocol === 'https:' || p.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'a web address starting https:// or http://');

export const itemUpdateSchema = z.strictObject({
  rating: z.enum(RAG_RATINGS).nullable().optional(),
  comments: z.string().max(8000).optional(),
  lead: z.string().trim().max(500).nullable().optional(),
  evidence: z.array(z.strictObject({ label: z.string().trim().min(1, 'give the evidence a name').max(200), url: urlSchema })).max(50).optional(),
});

async function draftAudit(tx: Queryable, auditId: number): Promise<AuditRow> {
  const row = await auditRow(tx, auditId);
  if (!row) throw new AssuranceError('not_found', `No audit ${auditId}`);
  if (row.status !== 'draft') throw new AssuranceError('conflict', 'This audit is completed: start a new round to change it');
  return row;
}

async function itemExists(tx: Queryable, auditId: number, key: string): Promise<void> {
  const r = await tx.query('SELECT 1 FROM assurance_audit_items WHERE audit_id = $1 AND item_key = $2', [auditId, key]);
  if (r.length === 0) throw new AssuranceError('not_found', `No item ${key} in audit ${auditId}`);
}

export async function updateItem(db: Db, auditId: number, key: string, body: unknown, by: string): Promise<void> {
  const u = parse(itemUpdateSchema, body, 'The item');
  await db.transaction(async (tx) => {
    await draftAudit(tx, auditId);
    await itemExists(tx, auditId, key);
    await tx.query(
      `UPDATE assurance_audit_items SET
         rating = CASE WHEN $3::boolean THEN $4 ELSE rating END,
         comments = COALESCE($5, comments),
         lead = CASE WHEN $6::boolean THEN $7 ELSE lead END,
         evidence = COALESCE($8::jsonb, evidence),
         updated_by = $9, updated_at = now()
       WHERE audit_id = $1 AND item_key = $2`,
      [
        auditId,
        key,
        u.rating !== undefined,
        u.rating ?? null,
        u.comments ?? null,
        u.lead !== undefined,
        u.lead === undefined || u.lead === '' ? null : u.lead,
        u.evidence === undefined ? null : JSON.stringify(u.evidence),
        by,
      ],
    );
  });
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');

export const actionInputSchema = z.strictObject({
  text: z.string().trim().min(1, 'describe the action').max(2000),
  owner: z.string().trim().max(200).nullable().optional(),
  due: isoDate.nullable().optional(),
});

export async function addAction(db: Db, auditId: number, key: string, body: unknown, by: string): Promise<number> {
  const a = parse(actionInputSchema, body, 'The action');
  return db.transaction(async (tx) => {
    await draftAudit(tx, auditId);
    await itemExists(tx, auditId, key);
    const r = await tx.query<{ id: number }>(
      'INSERT INTO assurance_actions (audit_id, item_key, text, owner, due_date, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int AS id',
      [auditId, key, a.text, a.owner || null, a.due ?? null, by],
    );
    await tx.query('UPDATE assurance_audit_items SET updated_by = $3, updated_at = now() WHERE audit_id = $1 AND item_key = $2', [auditId, key, by]);
    return r[0]!.id;
  });
}

export const actionUpdateSchema = z.strictObject({ status: z.enum(['open', 'done']) });

export async function updateAction(db: Db, auditId: number, actionId: number, body: unknown, by: string): Promise<void> {
  const a = parse(actionUpdateSchema, body, 'The action');
  await db.transaction(async (tx) => {
    await draftAudit(tx, auditId);
    const r = await tx.query<{ item_key: string }>('UPDATE assurance_actions SET status = $3 WHERE audit_id = $1 AND id = $2 RETURNING item_key', [auditId, actionId, a.status]);
    if (r.length === 0) throw new AssuranceError('not_found', `No action ${actionId} in audit ${auditId}`);
    await tx.query('UPDATE assurance_audit_items SET updated_by = $3, updated_at = now() WHERE audit_id = $1 AND item_key = $2', [auditId, r[0]!.item_key, by]);
  });
}

/** Completes an audit: the measures are frozen with it, and it can no longer change. */
export async function completeAudit(db: Db, auditId: number, by: string, opts: MeasureOptions = {}): Promise<void> {
  const row = await auditRow(db, auditId);
  if (!row) throw new AssuranceError('not_found', `No audit ${auditId}`);
  if (row.status !== 'draft') throw new AssuranceError('conflict', 'This audit is already completed');
  const values = new Map((await computeMeasures(db, templateMeasures(row.template), row.as_of, opts)).map((m) => [m.key, m]));
  await db.transaction(async (tx) => {
    await draftAudit(tx, auditId);
    for (const item of templateItems(row.template)) {
      const ms = (item.measures ?? []).map((k) => values.get(k)).filter((v): v is MeasureValue => v !== undefined);
      await tx.query('UPDATE assurance_audit_items SET measures = $3::jsonb WHERE audit_id = $1 AND item_key = $2', [auditId, item.key, JSON.stringify(ms)]);
    }
    await tx.query(`UPDATE assurance_audits SET status = 'completed', completed_by = $2, completed_at = now() WHERE id = $1`, [auditId, by]);
  });
}
