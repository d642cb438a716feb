/**
 * A small condition language over an incident record, used by the case definition (and
 * open to other rule sets). Conditions are plain data (they can live in a JSON
 * configuration); `evaluateCondition` says whether one holds and why, in words.
 *
 * Unknown never satisfies a test: a tri-state field that is 'unknown' is not 'Y', a
 * missing naloxone count is not "at least 2", a missing outcome is not "died".
 */
import type { IncidentEventType, IncidentRecord, IncidentSource, Outcome, Route, TriState, TriStateField } from './types';

export type Condition =
  | { kind: 'all'; of: readonly Condition[] }
  | { kind: 'any'; of: readonly Condition[] }
  | { kind: 'not'; condition: Condition }
  /** A tri-state field has one of these values. */
  | { kind: 'flag'; field: TriStateField; is: readonly TriState[] }
  | { kind: 'eventType'; in: readonly IncidentEventType[] }
  | { kind: 'outcome'; in: readonly Outcome[] }
  | { kind: 'source'; in: readonly IncidentSource[] }
  | { kind: 'route'; in: readonly Route[] }
  /** At least this many naloxone doses were given. */
  | { kind: 'naloxoneDoses'; atLeast: number }
  /** Some substance contains one of these terms (case-insensitive). */
  | { kind: 'substances'; mentionsAny: readonly string[]; label?: string };

/** Plain-English names of the fields (the Op Mabble wording where there is one). */
export const FIELD_LABELS: Readonly<Record<TriStateField, string>> = Object.freeze({
  hmo: 'HMO',
  street_sleeping: 'street sleeping',
  class_a_user: 'suspected class A drug user',
  in_treatment: 'currently in drug treatment',
  synthetic_opioid_suspected: 'synthetic opioid use suspected',
  forensic_nitazene: 'evidential forensics indicate nitazene is present',
  tox_tested_nitazene: 'toxicology: sample tested for nitazene',
  tox_nitazene_present: 'toxicology: sample indicates presence of nitazene',
  tox_n_desethyl_isotonitazene: 'toxicology: sample indicates presence of N-desethyl isotonitazene',
});

function list(xs: readonly string[]): string {
  const words = xs.map((x) => x.replace(/_/g, ' '));
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`;
}

/** The condition in words. */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'all':
      return c.of.length === 1 ? describeCondition(c.of[0] as Condition) : `all of (${c.of.map(describeCondition).join('; ')})`;
    case 'any':
      return c.of.length === 1 ? describeCondition(c.of[0] as Condition) : `any of (${c.of.map(describeCondition).join('; ')})`;
    case 'not':
      return `not (${describeCondition(c.condition)})`;
    case 'flag':
      return `${FIELD_LABELS[c.field]} is ${c.is.map((v) => (v === 'Y' ? 'yes' : v === 'N' ? 'no' : 'unknown')).join(' or ')}`;
    case 'eventType':
      return `event is ${list(c.in)}`;
    case 'outcome':
      return `outcome is ${list(c.in)}`;
    case 'source':
      return `reported by ${list(c.in)}`;
    case 'route':
      return `route is ${list(c.in)}`;
    case 'naloxoneDoses':
      return `${c.atLeast} or more naloxone doses given`;
    case 'substances':
      return c.label ?? `substances mention ${list(c.mentionsAny)}`;
  }
}

export interface ConditionResult {
  ok: boolean;
  /** When ok: the plain-English facts that made it hold. */
  because: string[];
}

function mentions(substances: readonly string[] | undefined, terms: readonly string[]): string | null {
  for (const s of substances ?? []) {
    const low = s.toLowerCase();
    for (const t of terms) if (t.trim() !== '' && low.includes(t.toLowerCase())) return s;
  }
  return null;
}

export function evaluateCondition(c: Condition, r: IncidentRecord): ConditionResult {
  switch (c.kind) {
    case 'all': {
      const because: string[] = [];
      for (const sub of c.of) {
        const res = evaluateCondition(sub, r);
        if (!res.ok) return { ok: false, because: [] };
        because.push(...res.because);
      }
      return { ok: true, because };
    }
    case 'any': {
      for (const sub of c.of) {
        const res = evaluateCondition(sub, r);
        if (res.ok) return res;
      }
      return { ok: false, because: [] };
    }
    case 'not': {
      const res = evaluateCondition(c.condition, r);
      return res.ok ? { ok: false, because: [] } : { ok: true, because: [describeCondition(c)] };
    }
    case 'flag': {
      const v = r[c.field] ?? 'unknown';
      return c.is.includes(v) ? { ok: true, because: [describeCondition(c)] } : { ok: false, because: [] };
    }
    case 'eventType':
      return c.in.includes(r.event_type)
        ? { ok: true, because: [`event is ${r.event_type.replace(/_/g, ' ')}`] }
        : { ok: false, because: [] };
    case 'outcome':
      return r.outcome && c.in.includes(r.outcome)
        ? { ok: true, because: [`outcome is ${r.outcome.replace(/_/g, ' ')}`] }
        : { ok: false, because: [] };
    case 'source':
      return c.in.includes(r.source) ? { ok: true, because: [`reported by ${r.source.replace(/_/g, ' ')}`] } : { ok: false, because: [] };
    case 'route':
      return r.route && c.in.includes(r.route) ? { ok: true, because: [`route is ${r.route.replace(/_/g, ' ')}`] } : { ok: false, because: [] };
    case 'naloxoneDoses': {
      const n = r.naloxone_doses;
      return typeof n === 'number' && n >= c.atLeast
        ? { ok: true, because: [`${n} naloxone dose${n === 1 ? '' : 's'} given (${c.atLeast} or more)`] }
        : { ok: false, because: [] };
    }
    case 'substances': {
      const hit = mentions(r.substances, c.mentionsAny);
      return hit !== null ? { ok: true, because: [`substances include "${hit}"`] } : { ok: false, because: [] };
    }
  }
}
