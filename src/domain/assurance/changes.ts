/**
 * What changed between two rounds of the same audit (issue 9: "each shows what changed
 * since the last one"), and between two versions of a preparedness plan ("who changed
 * what"). Pure.
 */
import { measureTrend, type MeasureKey, type MeasureValue } from './measures';
import { compareRatings, type RagRating, type RatingChange } from './rag';

export interface AuditAction {
  id?: number;
  text: string;
  owner: string | null;
  due: string | null;
  status: 'open' | 'done';
}

export interface EvidenceLink {
  label: string;
  url: string;
}

export interface RoundItem {
  key: string;
  rating: RagRating | null;
  comments: string;
  actions: readonly AuditAction[];
  evidence: readonly EvidenceLink[];
  measures: readonly MeasureValue[];
}

export interface ItemChange {
  key: string;
  rating: { before: RagRating | null; after: RagRating | null; change: RatingChange };
  commentsChanged: boolean;
  actionsAdded: number;
  actionsCompleted: number;
  evidenceAdded: number;
  measures: Array<{ key: MeasureKey; before: number | null; after: number | null; trend: 'better' | 'worse' | 'same' | null }>;
  /** True when anything at all changed. */
  changed: boolean;
}

export interface RoundComparison {
  items: ItemChange[];
  summary: Record<RatingChange, number>;
}

const actionKey = (a: AuditAction) => `${a.text.trim().toLowerCase()}|${(a.owner ?? '').trim().toLowerCase()}`;

/** Compares this round with the previous one, item by item (items of this round only). */
export function compareRounds(previous: readonly RoundItem[], current: readonly RoundItem[]): RoundComparison {
  const before = new Map(previous.map((i) => [i.key, i]));
  const summary: Record<RatingChange, number> = { improved: 0, worsened: 0, unchanged: 0, newly_rated: 0, no_longer_rated: 0, not_rated: 0 };
  const items = current.map((cur): ItemChange => {
    const prev = before.get(cur.key);
    const change = compareRatings(prev?.rating ?? null, cur.rating);
    summary[change] += 1;
    const prevActions = new Map((prev?.actions ?? []).map((a) => [actionKey(a), a]));
    let added = 0;
    let completed = 0;
    for (const a of cur.actions) {
      const p = prevActions.get(actionKey(a));
      if (!p) added += 1;
      else if (p.status === 'open' && a.status === 'done') completed += 1;
    }
    const prevUrls = new Set((prev?.evidence ?? []).map((e) => e.url));
    const evidenceAdded = cur.evidence.filter((e) => !prevUrls.has(e.url)).length;
    const prevMeasures = new Map((prev?.measures ?? []).map((m) => [m.key, m.value]));
    const measures = cur.measures.map((m) => {
      const b = prevMeasures.get(m.key) ?? null;
      return { key: m.key, before: b, after: m.value, trend: measureTrend(m.key, b, m.value) };
    });
    const commentsChanged = (prev?.comments ?? '').trim() !== cur.comments.trim();
    const changed =
      (change !== 'unchanged' && change !== 'not_rated') ||
      commentsChanged ||
      added > 0 ||
      completed > 0 ||
      evidenceAdded > 0 ||
      measures.some((m) => m.trend === 'better' || m.trend === 'worse');
    return {
      key: cur.key,
      rating: { before: prev?.rating ?? null, after: cur.rating, change },
      commentsChanged,
      actionsAdded: added,
      actionsCompleted: completed,
      evidenceAdded,
      measures,
      changed,
    };
  });
  return { items, summary };
}

// ---------------------------------------------------------------------------------------
// Plan versions
// ---------------------------------------------------------------------------------------

export interface FieldChange {
  /** Dotted path of what changed, e.g. "coordinator.name" or "invitees". */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before: string | null;
  after: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Field-level differences between two JSON documents (a plan's content). Objects are
 * compared key by key; arrays of primitives as sets of values (each added/removed value
 * reported); other arrays element by element by position.
 */
export function diffDocuments(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffDocuments(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const primitive = (a: unknown[]) => a.every((x) => typeof x !== 'object' || x === null);
    if (primitive(before) && primitive(after)) {
      const b = new Set(before.map(String));
      const a = new Set(after.map(String));
      return [
        ...[...a].filter((x) => !b.has(x)).map((x): FieldChange => ({ path, kind: 'added', before: null, after: x })),
        ...[...b].filter((x) => !a.has(x)).map((x): FieldChange => ({ path, kind: 'removed', before: x, after: null })),
      ];
    }
    const n = Math.max(before.length, after.length);
    const out: FieldChange[] = [];
    for (let i = 0; i < n; i++) {
      const p = `${path}[${i + 1}]`;
      if (i >= before.length) out.push({ path: p, kind: 'added', before: null, after: show(after[i]) });
      else if (i >= after.length) out.push({ path: p, kind: 'removed', before: show(before[i]), after: null });
      else out.push(...diffDocuments(before[i], after[i], p));
    }
    return out;
  }
  const b = show(before);
  const a = show(after);
  if (b === a) return [];
  return [{ path, kind: b === null ? 'added' : a === null ? 'removed' : 'changed', before: b, after: a }];
}
