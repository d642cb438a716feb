/**
 * Linkage of partner reports (domain.md §3.3, issue 5 item 3): the same overdose reported
 * by the ambulance service, A&E and the police is one case.
 *
 * 1. `scorePair` compares two reports component by component and returns a score from 0
 *    to 1 with every component explained. The score is a weighted mean of component
 *    scores in [0, 1]; a component that cannot be compared (missing on either side) scores
 *    `unknownScore` (default 0.5, "no evidence either way") so that sparse reports land in
 *    the "possible" band for a person to look at rather than being linked or dismissed.
 *    Some components can *veto* a link: when known and scoring 0 (dates further apart
 *    than the window; a person-level event against a drug-check result) the score is 0.
 *    Drill (exercise) reports never link with real ones.
 * 2. `candidatePairs` generates the pairs worth scoring without comparing every report
 *    with every other: reports are blocked by local authority and by postcode district,
 *    and paired only within a window of event dates (sort and sweep).
 * 3. `applyLinkage` turns the coordinator's decisions — merge, split, undo — kept as a log
 *    of data operations into the current cases. Undo is an operation too, so history is
 *    never rewritten and every source report stays visible.
 */
import { outwardCode } from '../disclosure/identifiers';
import { dayNumber, instant } from './dates';
import type { IncidentEventType, IncidentRecord, Outcome } from './types';

export type LinkageReport = Pick<IncidentRecord, 'report_id' | 'event_date' | 'event_type' | 'local_authority'> &
  Partial<Pick<IncidentRecord, 'age' | 'sex' | 'postcode' | 'substances' | 'outcome' | 'exercise' | 'source' | 'received_at'>>;

export const LINKAGE_COMPONENTS = ['date', 'age', 'sex', 'area', 'substances', 'outcome', 'eventType'] as const;
export type LinkageComponent = (typeof LINKAGE_COMPONENTS)[number];

export type LinkageBand = 'likely' | 'possible' | 'unlikely';

export interface AreaScores {
  /** Same postcode district (and same or unknown local authority). */
  sameDistrict: number;
  /** Same local authority, district unknown on either side. */
  sameAuthorityDistrictUnknown: number;
  /** Same local authority, different districts (home vs. where found, hospital…). */
  sameAuthorityOtherDistrict: number;
  /** Different local authorities but the same district (districts cross boundaries). */
  otherAuthoritySameDistrict: number;
  /** Different local authorities and districts. */
  different: number;
}

export interface LinkageConfig {
  /** Relative weights (any non-negative numbers; normalised by their sum). */
  weights: Record<LinkageComponent, number>;
  /** Score of a component missing on either side. */
  unknownScore: number;
  /** Event dates further apart than this score 0 on date. */
  dateWindowDays: number;
  /** Ages further apart than this score 0 on age (crews estimate ages). */
  ageToleranceYears: number;
  /** Score ≥ likely → 'likely'; ≥ possible → 'possible'; else 'unlikely'. */
  thresholds: { likely: number; possible: number };
  /** Components that, when known and scoring exactly 0, make the score 0. */
  vetoes: readonly LinkageComponent[];
  area: AreaScores;
  /** Symmetric; a missing pair scores 0. See DEFAULT_EVENT_TYPE_COMPATIBILITY. */
  eventTypeCompatibility: Partial<Record<IncidentEventType, Partial<Record<IncidentEventType, number>>>>;
  /** Symmetric; 'unknown' outcomes are treated as missing. */
  outcomeCompatibility: Partial<Record<Outcome, Partial<Record<Outcome, number>>>>;
  /** Exact names mapped to a canonical substance (lower case). */
  substanceSynonyms: Readonly<Record<string, string>>;
  /** A substance containing the key (lower case) is the value: "isotonitazene" → "nitazene". */
  substanceClasses: Readonly<Record<string, string>>;
}

/**
 * Event types that can describe the same person's event, and how strongly (1 = the usual
 * combination, e.g. an ambulance call-out and the A&E attendance it led to). A death
 * against a non-fatal overdose is nearly contradictory (0.1) but not vetoed, since
 * partners code events differently. Drug checks, seizure tests and intelligence are about
 * a supply, never a person's event: 0 against person-level events (a veto).
 */
export const DEFAULT_EVENT_TYPE_COMPATIBILITY: LinkageConfig['eventTypeCompatibility'] = {
  death: { death: 1, non_fatal_overdose: 0.1, ae_attendance: 0.6, ambulance_callout: 0.8, naloxone_administration: 0.7, prison_event: 0.6 },
  non_fatal_overdose: { non_fatal_overdose: 1, ae_attendance: 1, ambulance_callout: 1, naloxone_administration: 1, prison_event: 0.7 },
  ae_attendance: { ae_attendance: 1, ambulance_callout: 1, naloxone_administration: 0.8, prison_event: 0.5 },
  ambulance_callout: { ambulance_callout: 1, naloxone_administration: 1, prison_event: 0.6 },
  naloxone_administration: { naloxone_administration: 1, prison_event: 0.7 },
  prison_event: { prison_event: 1 },
  drug_check_result: { drug_check_result: 1, seizure_test: 0.3 },
  seizure_test: { seizure_test: 1 },
  intelligence: { intelligence: 1 },
};

/** Outcomes that can be the same event seen by different partners. */
export const DEFAULT_OUTCOME_COMPATIBILITY: LinkageConfig['outcomeCompatibility'] = {
  died: { died: 1, hospital: 0.6, treated_at_scene: 0.2, no_treatment: 0.3 },
  hospital: { hospital: 1, treated_at_scene: 0.4, no_treatment: 0.2 },
  treated_at_scene: { treated_at_scene: 1, no_treatment: 0.6 },
  no_treatment: { no_treatment: 1 },
};

export const DEFAULT_LINKAGE_CONFIG: Readonly<LinkageConfig> = Object.freeze<LinkageConfig>({
  weights: { date: 0.25, area: 0.2, age: 0.15, sex: 0.1, substances: 0.1, outcome: 0.1, eventType: 0.1 },
  unknownScore: 0.5,
  dateWindowDays: 2,
  ageToleranceYears: 5,
  thresholds: { likely: 0.85, possible: 0.65 },
  vetoes: ['date', 'eventType'],
  area: {
    sameDistrict: 1,
    sameAuthorityDistrictUnknown: 0.7,
    sameAuthorityOtherDistrict: 0.4,
    otherAuthoritySameDistrict: 0.6,
    different: 0,
  },
  eventTypeCompatibility: DEFAULT_EVENT_TYPE_COMPATIBILITY,
  outcomeCompatibility: DEFAULT_OUTCOME_COMPATIBILITY,
  substanceSynonyms: {
    diamorphine: 'heroin',
    heroin_6mam: 'heroin',
    '6-mam': 'heroin',
    smack: 'heroin',
    'crack cocaine': 'crack',
    benzos: 'benzodiazepine',
    spice: 'synthetic cannabinoid',
    pregabalin: 'gabapentinoid',
    gabapentin: 'gabapentinoid',
    booze: 'alcohol',
  },
  substanceClasses: {
    nitazene: 'nitazene',
    fentan: 'fentanyl',
    zolam: 'benzodiazepine',
    zepam: 'benzodiazepine',
  },
});

export interface ComponentScore {
  name: LinkageComponent;
  weight: number;
  /** 0–1; equals unknownScore when not known. */
  score: number;
  known: boolean;
  /** weight × score ÷ total weight: this component's share of the final score. */
  contribution: number;
  text: string;
}

export interface LinkageScore {
  a: string;
  b: string;
  /** 0–1, rounded to 6 decimals so that thresholds compare reliably. */
  score: number;
  band: LinkageBand;
  vetoedBy: LinkageComponent | 'exercise' | null;
  components: ComponentScore[];
  summary: string;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The band of a score under the configuration's thresholds (inclusive). */
export function bandOf(score: number, config: Pick<LinkageConfig, 'thresholds'> = DEFAULT_LINKAGE_CONFIG): LinkageBand {
  if (score >= config.thresholds.likely) return 'likely';
  if (score >= config.thresholds.possible) return 'possible';
  return 'unlikely';
}

/** Lower case, trimmed, synonyms and classes applied. */
export function canonicalSubstance(s: string, config: Pick<LinkageConfig, 'substanceSynonyms' | 'substanceClasses'> = DEFAULT_LINKAGE_CONFIG): string {
  const low = s.trim().toLowerCase().replace(/\s+/g, ' ');
  const syn = config.substanceSynonyms[low];
  if (syn !== undefined) return syn;
  for (const [part, cls] of Object.entries(config.substanceClasses)) if (low.includes(part)) return cls;
  return low;
}

function lookup<K extends string>(m: Partial<Record<K, Partial<Record<K, number>>>>, a: K, b: K): number {
  return m[a]?.[b] ?? m[b]?.[a] ?? 0;
}

type Partial0 = { score: number; known: boolean; text: string };

function dateComponent(a: LinkageReport, b: LinkageReport, c: LinkageConfig): Partial0 {
  const da = dayNumber(a.event_date);
  const db = dayNumber(b.event_date);
  if (da === null || db === null) return { score: c.unknownScore, known: false, text: 'event date missing or invalid' };
  const d = Math.abs(da - db);
  if (d > c.dateWindowDays) return { score: 0, known: true, text: `event dates ${d} days apart (more than ${c.dateWindowDays})` };
  const score = 1 - d / (c.dateWindowDays + 1);
  return { score, known: true, text: d === 0 ? 'same event date' : `event dates ${d} day${d === 1 ? '' : 's'} apart` };
}

function ageComponent(a: LinkageReport, b: LinkageReport, c: LinkageConfig): Partial0 {
  if (typeof a.age !== 'number' || typeof b.age !== 'number') return { score: c.unknownScore, known: false, text: 'age not known on both' };
  const d = Math.abs(a.age - b.age);
  const score = Math.max(0, 1 - d / (c.ageToleranceYears + 1));
  return { score, known: true, text: d === 0 ? `same age (${a.age})` : `ages ${a.age} and ${b.age} (${d} apart)` };
}

function sexComponent(a: LinkageReport, b: LinkageReport, c: LinkageConfig): Partial0 {
  const known = (s: LinkageReport['sex']) => s === 'M' || s === 'F' || s === 'X';
  if (!known(a.sex) || !known(b.sex)) return { score: c.unknownScore, known: false, text: 'sex not known on both' };
  return a.sex === b.sex ? { score: 1, known: true, text: `same sex (${a.sex})` } : { score: 0, known: true, text: `sex differs (${a.sex}, ${b.sex})` };
}

function areaComponent(a: LinkageReport, b: LinkageReport, c: LinkageConfig): Partial0 {
  const da = a.postcode ? outwardCode(a.postcode) : null;
  const db = b.postcode ? outwardCode(b.postcode) : null;
  const sameLa = a.local_authority === b.local_authority;
  if (da !== null && db !== null && da === db) {
    return sameLa
      ? { score: c.area.sameDistrict, known: true, text: `same local authority and district (${da})` }
      : { score: c.area.otherAuthoritySameDistrict, known: true, text: `different local authorities, same district (${da})` };
  }
  if (sameLa) {
    return da === null || db === null
      ? { score: c.area.sameAuthorityDistrictUnknown, known: true, text: `same local authority (${a.local_authority}); district not known on both` }
      : { score: c.area.sameAuthorityOtherDistrict, known: true, text: `same local authority, different districts (${da}, ${db})` };
  }
  return { score: c.area.different, known: true, text: `different local authorities (${a.local_authority}, ${b.local_authority})` };
}

function substancesComponent(a: LinkageReport, b: LinkageReport, c: LinkageConfig): Partial0 {
  const sa = new Set((a.substances ?? []).filter((s) => s.trim() !== '').map((s) => canonicalSubstance(s, c)));
  const sb = new Set((b.substances ?? []).filter((s) => s.trim() !== '').map((s) => canonicalSubstance(s, c)));
  if (sa.size === 0 || sb.size === 0) return { score: c.unknownScore, known: false, text: 'substances not known on both' };
  const common = [...sa].filter((s) => sb.has(s));
  // Overlap coefficient: one partner often lists fewer substances than another
  // (ambulance "heroin", toxicology "heroin; nitazene"), which is not a disagreement.
  const score = common.length / Math.min(sa.size, sb.size);
  return {
    score,
    known: true,
    text: common.length === 0 ? 'no substance in common' : `substances in common: ${common.sort().join(', ')}`,
  };
}

function outcomeComponent(a: LinkageReport, b: LinkageReport, c: LinkageConfig): Partial0 {
  const oa = a.outcome && a.outcome !== 'unknown' ? a.outcome : null;
  const ob = b.outcome && b.outcome !== 'unknown' ? b.outcome : null;
  if (oa === null || ob === null) return { score: c.unknownScore, known: false, text: 'outcome not known on both' };
  const score = lookup(c.outcomeCompatibility, oa, ob);
  const words = (o: string) => o.replace(/_/g, ' ');
  return { score, known: true, text: oa === ob ? `same outcome (${words(oa)})` : `outcomes ${words(oa)} and ${words(ob)}` };
}

function eventTypeComponent(a: LinkageReport, b: LinkageReport, c: LinkageConfig): Partial0 {
  const score = lookup(c.eventTypeCompatibility, a.event_type, b.event_type);
  const words = (o: string) => o.replace(/_/g, ' ');
  return {
    score,
    known: true,
    text: score === 0 ? `${words(a.event_type)} and ${words(b.event_type)} cannot be one event` : `${words(a.event_type)} and ${words(b.event_type)}`,
  };
}

const COMPONENT_FNS: Record<LinkageComponent, (a: LinkageReport, b: LinkageReport, c: LinkageConfig) => Partial0> = {
  date: dateComponent,
  age: ageComponent,
  sex: sexComponent,
  area: areaComponent,
  substances: substancesComponent,
  outcome: outcomeComponent,
  eventType: eventTypeComponent,
};

/** Score two reports as candidate duplicates of one event. */
export function scorePair(a: LinkageReport, b: LinkageReport, config: LinkageConfig = DEFAULT_LINKAGE_CONFIG): LinkageScore {
  const total = LINKAGE_COMPONENTS.reduce((s, n) => s + Math.max(0, config.weights[n]), 0);
  if (!(total > 0)) throw new RangeError('linkage weights must have a positive sum');
  const components: ComponentScore[] = LINKAGE_COMPONENTS.map((name) => {
    const part = COMPONENT_FNS[name](a, b, config);
    const weight = Math.max(0, config.weights[name]);
    return { name, weight, ...part, contribution: round6((weight * part.score) / total) };
  });
  let vetoedBy: LinkageScore['vetoedBy'] = null;
  if (Boolean(a.exercise) !== Boolean(b.exercise)) vetoedBy = 'exercise';
  else {
    for (const c of components) {
      if (config.vetoes.includes(c.name) && c.known && c.score === 0) {
        vetoedBy = c.name;
        break;
      }
    }
  }
  const raw = components.reduce((s, c) => s + c.weight * c.score, 0) / total;
  const score = vetoedBy ? 0 : round6(raw);
  const band = bandOf(score, config);
  const veto =
    vetoedBy === 'exercise'
      ? 'an exercise report never links with a real one'
      : vetoedBy
        ? (components.find((c) => c.name === vetoedBy)?.text ?? vetoedBy)
        : null;
  const summary = veto
    ? `Not the same event: ${veto}.`
    : `${band === 'likely' ? 'Likely the same event' : band === 'possible' ? 'Possibly the same event' : 'Unlikely to be the same event'} (score ${score.toFixed(2)}).`;
  return { a: a.report_id, b: b.report_id, score, band, vetoedBy, components, summary };
}

// ---------------------------------------------------------------------------------------
// Blocking: candidate pairs without comparing all pairs.
// ---------------------------------------------------------------------------------------

export type BlockingKey = 'local_authority' | 'postcode_district';

export interface BlockingOptions {
  /** Pair only reports whose event dates are at most this many days apart (default 2). */
  windowDays?: number;
  /** Reports sharing any of these keys are compared (default both). */
  keys?: readonly BlockingKey[];
}

/**
 * Candidate pairs [a, b] (a < b by report id, sorted) of reports that share a blocking
 * key, are within the date window and are both drills or both real. O(n log n + pairs).
 */
export function candidatePairs(reports: readonly LinkageReport[], options: BlockingOptions = {}): Array<[string, string]> {
  const window = options.windowDays ?? DEFAULT_LINKAGE_CONFIG.dateWindowDays;
  const keys = options.keys ?? ['local_authority', 'postcode_district'];
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (const key of keys) {
    const groups = new Map<string, Array<{ id: string; day: number }>>();
    for (const r of reports) {
      const day = dayNumber(r.event_date);
      if (day === null) continue;
      const k = key === 'local_authority' ? r.local_authority : r.postcode ? outwardCode(r.postcode) : null;
      if (!k) continue;
      const g = `${r.exercise ? 'x' : 'r'}|${k}`;
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push({ id: r.report_id, day });
    }
    for (const list of groups.values()) {
      list.sort((p, q) => p.day - q.day || (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
      for (let i = 0; i < list.length; i++) {
        const p = list[i];
        if (!p) continue;
        for (let j = i + 1; j < list.length; j++) {
          const q = list[j];
          if (!q || q.day - p.day > window) break;
          if (p.id === q.id) continue;
          const [x, y] = p.id < q.id ? [p.id, q.id] : [q.id, p.id];
          const tag = `${x}\u0000${y}`;
          if (seen.has(tag)) continue;
          seen.add(tag);
          out.push([x, y]);
        }
      }
    }
  }
  return out.sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1] ? 1 : 0));
}

/**
 * Block, score and keep the pairs at or above the 'possible' threshold, best first
 * (ties by report ids).
 */
export function findCandidates(
  reports: readonly LinkageReport[],
  config: LinkageConfig = DEFAULT_LINKAGE_CONFIG,
  options: BlockingOptions = {},
): LinkageScore[] {
  const byId = new Map(reports.map((r) => [r.report_id, r]));
  const out: LinkageScore[] = [];
  for (const [x, y] of candidatePairs(reports, { windowDays: config.dateWindowDays, ...options })) {
    const a = byId.get(x);
    const b = byId.get(y);
    if (!a || !b) continue;
    const s = scorePair(a, b, config);
    if (s.score >= config.thresholds.possible) out.push(s);
  }
  return out.sort((p, q) => q.score - p.score || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0));
}

// ---------------------------------------------------------------------------------------
// Cases: the coordinator's merges, splits and undos as a log of data operations.
// ---------------------------------------------------------------------------------------

export type LinkageOp =
  /** These reports are one event: join every case they belong to (a confirmed link is a merge of two). */
  | { id: string; type: 'merge'; reportIds: readonly string[]; at?: string; by?: string; reason?: string }
  /** Take these reports out of their cases; together they form a new case. */
  | { id: string; type: 'split'; reportIds: readonly string[]; at?: string; by?: string; reason?: string }
  /** Cancel an earlier operation (an undo of an undo brings the operation back). */
  | { id: string; type: 'undo'; target: string; at?: string; by?: string; reason?: string };

export interface LinkedCase {
  /** The id of the case's first report (earliest received; then by id). */
  caseId: string;
  /** All source reports, earliest received first. */
  reportIds: string[];
}

export interface LinkageState {
  cases: LinkedCase[];
  /** Report id → case id. */
  caseOf: Map<string, string>;
  /** Ids of the operations in effect (not undone), in order. */
  activeOps: string[];
  /** Operations that were ignored or had no effect, in words. */
  warnings: string[];
}

/** Cases from confirmed links alone (the union of linked pairs). */
export function clustersFromLinks(
  reports: readonly Pick<LinkageReport, 'report_id' | 'received_at'>[],
  links: ReadonlyArray<readonly [string, string]>,
): LinkedCase[] {
  const ops: LinkageOp[] = links.map(([a, b], i) => ({ id: `link-${i}`, type: 'merge', reportIds: [a, b] }));
  return applyLinkage(reports, ops).cases;
}

/**
 * Replay a log of linkage operations over a set of reports. Pure: the same reports and
 * log always give the same cases. Operations referring to unknown reports or operations
 * are ignored with a warning.
 */
export function applyLinkage(
  reports: readonly Pick<LinkageReport, 'report_id' | 'received_at'>[],
  log: readonly LinkageOp[],
): LinkageState {
  const warnings: string[] = [];
  const known = new Set(reports.map((r) => r.report_id));
  const position = new Map<string, number>();
  log.forEach((op, i) => {
    if (position.has(op.id)) warnings.push(`operation id ${op.id} is used twice; the later one is ignored`);
    else position.set(op.id, i);
  });

  // Which operations are in effect: walk back from the end; an undo in effect cancels its target.
  const cancelled = new Set<string>();
  for (let i = log.length - 1; i >= 0; i--) {
    const op = log[i];
    if (!op || position.get(op.id) !== i || cancelled.has(op.id)) continue;
    if (op.type === 'undo') {
      const t = position.get(op.target);
      if (t === undefined) warnings.push(`undo ${op.id}: no operation ${op.target}`);
      else if (t >= i) warnings.push(`undo ${op.id}: ${op.target} comes later in the log`);
      else cancelled.add(op.target);
    }
  }

  // Membership as explicit groups, so a split leaves the rest of a case together.
  const group = new Map<string, number>();
  let nextGroup = 0;
  for (const id of known) group.set(id, nextGroup++);
  const activeOps: string[] = [];
  log.forEach((op, i) => {
    if (position.get(op.id) !== i) return;
    if (cancelled.has(op.id)) return;
    if (op.type === 'undo') {
      activeOps.push(op.id);
      return;
    }
    const ids = [...new Set(op.reportIds)];
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) warnings.push(`${op.type} ${op.id}: unknown report ${unknown.join(', ')} ignored`);
    const valid = ids.filter((id) => known.has(id));
    if (op.type === 'merge') {
      if (valid.length < 2) {
        warnings.push(`merge ${op.id}: needs at least two known reports`);
        return;
      }
      const targets = new Set(valid.map((id) => group.get(id)));
      const into = group.get(valid[0] ?? '');
      if (into === undefined) return;
      for (const [id, g] of group) if (targets.has(g)) group.set(id, into);
    } else {
      if (valid.length === 0) return;
      const g = nextGroup++;
      for (const id of valid) group.set(id, g);
    }
    activeOps.push(op.id);
  });

  const receivedAt = new Map(reports.map((r) => [r.report_id, r.received_at ? (instant(r.received_at) ?? Infinity) : Infinity]));
  const order = (x: string, y: string) => {
    const d = (receivedAt.get(x) ?? Infinity) - (receivedAt.get(y) ?? Infinity);
    if (d !== 0 && !Number.isNaN(d)) return d;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const members = new Map<number, string[]>();
  for (const [id, g] of group) {
    let list = members.get(g);
    if (!list) members.set(g, (list = []));
    list.push(id);
  }
  const cases: LinkedCase[] = [...members.values()].map((ids) => {
    ids.sort(order);
    return { caseId: ids[0] as string, reportIds: ids };
  });
  cases.sort((p, q) => order(p.caseId, q.caseId));
  const caseOf = new Map<string, string>();
  for (const c of cases) for (const id of c.reportIds) caseOf.set(id, c.caseId);
  return { cases, caseOf, activeOps, warnings };
}
