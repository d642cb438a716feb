/**
 * The case definition (domain.md §3.2; seed 000 Appendix 1) as a configurable rule set per
 * area, evaluated by a small pure engine that returns the level and the rule that
 * decided it, in words.
 *
 * Op Mabble's definition, which is the default:
 *   "Individuals who have died as a result of suspected illicit drug overdose or presented
 *    with symptoms of overdose and/or responded to Naloxone from the 1st June 2023,
 *    where the use of synthetic opioids is suspected or confirmed, within the
 *    geographical area of the West Midlands conurbation."
 *
 * A report meets the definition when all four hold:
 *  1. area — its local authority is one of the definition's;
 *  2. period — its event date is on or after the start date (and not after an end date);
 *  3. harm — the `harm` condition (default: a death, non-fatal overdose, A&E attendance or
 *     ambulance call-out for overdose, naloxone administration; or any report whose
 *     outcome is death or that records a naloxone dose). Drug-check results, seizure tests
 *     and intelligence describe a supply, not a person harmed: they are not cases (they
 *     feed the stepped approach instead, see `steps.ts`);
 *  4. synthetic opioids — at least one level rule matches, and no exclusion does.
 *
 * Levels (Op Mabble names no levels; these are Beacon's, from the evidence the dataset
 * records):
 *  - confirmed: toxicology finds a nitazene (or N-desethyl isotonitazene), or evidential
 *    forensics indicate nitazene is present;
 *  - probable: synthetic-opioid use suspected together with a clinical or test picture —
 *    two or more naloxone doses needed (the potency picture of nitazenes), or a synthetic
 *    opioid named in the substances (e.g. a drug check or test strip of what was used);
 *  - suspected: synthetic-opioid use suspected, or a synthetic opioid named in the
 *    substances without the suspicion being recorded.
 * The highest matching level wins; within a level the first rule in the list.
 *
 * Exclusion (Beacon's choice): toxicology tested for nitazene and found none, with no
 * forensic nitazene and no other synthetic opioid (fentanyl and the like) named in the
 * substances — the suspicion has been tested and not borne out. The result says so.
 *
 * Exercise (drill) reports are classified like any other (issue 5 item 7: they flow
 * through everything, labelled); excluding them from real figures is the caller's job.
 */
import { dayNumber } from './dates';
import { describeCondition, evaluateCondition, type Condition } from './conditions';
import type { IncidentRecord } from './types';

export type CaseLevel = 'suspected' | 'probable' | 'confirmed';
export const CASE_LEVELS: readonly CaseLevel[] = ['suspected', 'probable', 'confirmed'];

const LEVEL_RANK: Record<CaseLevel, number> = { suspected: 1, probable: 2, confirmed: 3 };

/** Compare levels: positive if a is higher than b. */
export function compareLevels(a: CaseLevel, b: CaseLevel): number {
  return LEVEL_RANK[a] - LEVEL_RANK[b];
}

export interface LevelRule {
  /** Stable identifier, kept with the classification in audit records. */
  id: string;
  level: CaseLevel;
  when: Condition;
  /** Plain-English statement; generated from the condition when absent. */
  text?: string;
}

export interface ExclusionRule {
  id: string;
  when: Condition;
  text?: string;
}

export interface CaseDefinition {
  id: string;
  name: string;
  /** ONS codes of the local authorities the definition covers, or 'any'. */
  localAuthorities: readonly string[] | 'any';
  /** First event date covered (ISO, inclusive). */
  startDate: string;
  /** Last event date covered (ISO, inclusive), if the definition has ended. */
  endDate?: string | null;
  /** "Suspected overdose or death, or naloxone response". */
  harm: { when: Condition; text?: string };
  exclusions: readonly ExclusionRule[];
  levels: readonly LevelRule[];
}

/** Terms that name a nitazene (all contain "nitazene" except these relatives). */
export const NITAZENE_TERMS: readonly string[] = ['nitazene', 'nitazepyne', 'etazene'];
/** Other synthetic opioids seen in UK supplies. */
export const OTHER_SYNTHETIC_OPIOID_TERMS: readonly string[] = [
  'fentanyl',
  'fentanil',
  'carfentanil',
  'brorphine',
  'u-47700',
  'synthetic opioid',
];
export const SYNTHETIC_OPIOID_TERMS: readonly string[] = [...NITAZENE_TERMS, ...OTHER_SYNTHETIC_OPIOID_TERMS];

/** The seven metropolitan boroughs of the West Midlands conurbation (Op Mabble's area). */
export const WEST_MIDLANDS_CONURBATION: readonly string[] = [
  'E08000025', // Birmingham
  'E08000026', // Coventry
  'E08000027', // Dudley
  'E08000028', // Sandwell
  'E08000029', // Solihull
  'E08000030', // Walsall
  'E08000031', // Wolverhampton
];

export interface DefaultRuleOptions {
  /** Naloxone doses that make the clinical picture "probable" (default 2). */
  multipleNaloxoneDoses?: number;
  /** Terms that name a synthetic opioid in the substances column. */
  syntheticOpioidTerms?: readonly string[];
  /** Synthetic opioids a nitazene toxicology screen would not detect. */
  nonNitazeneTerms?: readonly string[];
}

const Y = ['Y'] as const;

/** The harm condition of Op Mabble's definition. */
export const OP_MABBLE_HARM: CaseDefinition['harm'] = {
  text: 'died of a suspected drug overdose, presented with symptoms of overdose, or responded to naloxone',
  when: {
    kind: 'any',
    of: [
      { kind: 'eventType', in: ['death', 'non_fatal_overdose', 'ae_attendance', 'ambulance_callout', 'naloxone_administration'] },
      { kind: 'outcome', in: ['died'] },
      { kind: 'naloxoneDoses', atLeast: 1 },
    ],
  },
};

/** The default level rules and exclusion (see the module comment). */
export function defaultLevelRules(options: DefaultRuleOptions = {}): { levels: LevelRule[]; exclusions: ExclusionRule[] } {
  const doses = options.multipleNaloxoneDoses ?? 2;
  const terms = options.syntheticOpioidTerms ?? SYNTHETIC_OPIOID_TERMS;
  const others = options.nonNitazeneTerms ?? OTHER_SYNTHETIC_OPIOID_TERMS;
  const named: Condition = { kind: 'substances', mentionsAny: terms, label: 'a synthetic opioid is named in the substances' };
  const suspected: Condition = { kind: 'flag', field: 'synthetic_opioid_suspected', is: Y };
  return {
    levels: [
      {
        id: 'confirmed-toxicology',
        level: 'confirmed',
        text: 'Toxicology: sample indicates presence of nitazene',
        when: { kind: 'flag', field: 'tox_nitazene_present', is: Y },
      },
      {
        id: 'confirmed-toxicology-n-desethyl-isotonitazene',
        level: 'confirmed',
        text: 'Toxicology: sample indicates presence of N-desethyl isotonitazene',
        when: { kind: 'flag', field: 'tox_n_desethyl_isotonitazene', is: Y },
      },
      {
        id: 'confirmed-forensics',
        level: 'confirmed',
        text: 'Evidential forensics indicate nitazene is present',
        when: { kind: 'flag', field: 'forensic_nitazene', is: Y },
      },
      {
        id: 'probable-multiple-naloxone',
        level: 'probable',
        text: `Synthetic opioid use suspected and ${doses} or more naloxone doses needed`,
        when: { kind: 'all', of: [suspected, { kind: 'naloxoneDoses', atLeast: doses }] },
      },
      {
        id: 'probable-named-substance',
        level: 'probable',
        text: 'Synthetic opioid use suspected and a synthetic opioid named in the substances (e.g. drug check or test strip)',
        when: { kind: 'all', of: [suspected, named] },
      },
      {
        id: 'suspected',
        level: 'suspected',
        text: 'Synthetic opioid use suspected',
        when: suspected,
      },
      {
        id: 'suspected-named-substance',
        level: 'suspected',
        text: 'A synthetic opioid is named in the substances',
        when: named,
      },
    ],
    exclusions: [
      {
        id: 'toxicology-negative',
        text: 'Toxicology tested for nitazene and found none, with no forensic nitazene and no other synthetic opioid named',
        when: {
          kind: 'all',
          of: [
            { kind: 'flag', field: 'tox_tested_nitazene', is: Y },
            { kind: 'flag', field: 'tox_nitazene_present', is: ['N'] },
            { kind: 'not', condition: { kind: 'flag', field: 'tox_n_desethyl_isotonitazene', is: Y } },
            { kind: 'not', condition: { kind: 'flag', field: 'forensic_nitazene', is: Y } },
            {
              kind: 'not',
              condition: { kind: 'substances', mentionsAny: others, label: 'a synthetic opioid other than a nitazene is named' },
            },
          ],
        },
      },
    ],
  };
}

export interface AreaCaseDefinitionInput {
  id: string;
  name: string;
  localAuthorities: readonly string[] | 'any';
  startDate: string;
  endDate?: string | null;
  rules?: DefaultRuleOptions;
}

/** Op Mabble's definition applied to another area and start date. */
export function defaultCaseDefinition(area: AreaCaseDefinitionInput): CaseDefinition {
  const { levels, exclusions } = defaultLevelRules(area.rules);
  return {
    id: area.id,
    name: area.name,
    localAuthorities: area.localAuthorities,
    startDate: area.startDate,
    endDate: area.endDate ?? null,
    harm: OP_MABBLE_HARM,
    exclusions,
    levels,
  };
}

/** Op Mabble's own definition: West Midlands conurbation, from 1 June 2023. */
export const OP_MABBLE_CASE_DEFINITION: CaseDefinition = defaultCaseDefinition({
  id: 'op-mabble',
  name: 'Op Mabble (West Midlands conurbation, from 1 June 2023)',
  localAuthorities: WEST_MIDLANDS_CONURBATION,
  startDate: '2023-06-01',
});

/** Problems with a definition loaded from configuration (empty when it is usable). */
export function validateCaseDefinition(def: CaseDefinition): string[] {
  const errors: string[] = [];
  if (dayNumber(def.startDate) === null) errors.push(`startDate is not an ISO date: ${def.startDate}`);
  if (def.endDate && dayNumber(def.endDate) === null) errors.push(`endDate is not an ISO date: ${def.endDate}`);
  if (def.endDate && def.endDate < def.startDate) errors.push('endDate is before startDate');
  if (def.localAuthorities !== 'any' && def.localAuthorities.length === 0) errors.push('localAuthorities is empty');
  if (def.levels.length === 0) errors.push('no level rules');
  const ids = new Set<string>();
  for (const r of [...def.levels, ...def.exclusions]) {
    if (ids.has(r.id)) errors.push(`duplicate rule id ${r.id}`);
    ids.add(r.id);
  }
  for (const r of def.levels) if (!CASE_LEVELS.includes(r.level)) errors.push(`rule ${r.id} has unknown level ${String(r.level)}`);
  return errors;
}

export interface RuleRef {
  id: string;
  level: CaseLevel;
  text: string;
}

export interface CaseCheck {
  name: 'area' | 'period' | 'harm' | 'synthetic_opioids';
  passed: boolean;
  text: string;
}

export interface CaseClassification {
  definitionId: string;
  meets: boolean;
  level: CaseLevel | null;
  /** The rule that decided the level. */
  rule: RuleRef | null;
  /** Every level rule that matched, highest level first. */
  matchedRules: RuleRef[];
  /** The exclusion that applied, if any. */
  excludedBy: { id: string; text: string } | null;
  checks: CaseCheck[];
  /** One sentence for the coordinator's inbox. */
  summary: string;
  /** The facts behind the deciding rule. */
  because: string[];
}

function ruleText(r: { text?: string; when: Condition }): string {
  return r.text ?? describeCondition(r.when);
}

/** Classify one report against a case definition. */
export function classifyIncident(incident: IncidentRecord, def: CaseDefinition): CaseClassification {
  const checks: CaseCheck[] = [];
  const inArea = def.localAuthorities === 'any' || def.localAuthorities.includes(incident.local_authority);
  checks.push({
    name: 'area',
    passed: inArea,
    text: inArea
      ? `local authority ${incident.local_authority} is in the area`
      : `local authority ${incident.local_authority} is outside the area`,
  });
  const day = dayNumber(incident.event_date);
  const start = dayNumber(def.startDate);
  const end = def.endDate ? dayNumber(def.endDate) : null;
  const inPeriod = day !== null && start !== null && day >= start && (end === null || day <= end);
  checks.push({
    name: 'period',
    passed: inPeriod,
    text:
      day === null
        ? `event date ${incident.event_date} is not a date`
        : inPeriod
          ? `event date ${incident.event_date} is on or after ${def.startDate}${def.endDate ? ` and by ${def.endDate}` : ''}`
          : `event date ${incident.event_date} is outside ${def.startDate}${def.endDate ? ` to ${def.endDate}` : ' onwards'}`,
  });
  const harm = evaluateCondition(def.harm.when, incident);
  checks.push({
    name: 'harm',
    passed: harm.ok,
    text: harm.ok ? `harm: ${harm.because.join('; ')}` : `no overdose, death or naloxone response recorded (${ruleText(def.harm)})`,
  });

  const matched: Array<RuleRef & { because: string[]; order: number }> = [];
  def.levels.forEach((r, order) => {
    const res = evaluateCondition(r.when, incident);
    if (res.ok) matched.push({ id: r.id, level: r.level, text: ruleText(r), because: res.because, order });
  });
  matched.sort((a, b) => compareLevels(b.level, a.level) || a.order - b.order);

  let excludedBy: CaseClassification['excludedBy'] = null;
  for (const x of def.exclusions) {
    if (evaluateCondition(x.when, incident).ok) {
      excludedBy = { id: x.id, text: ruleText(x) };
      break;
    }
  }
  const best = matched[0];
  const soPassed = best !== undefined && excludedBy === null;
  checks.push({
    name: 'synthetic_opioids',
    passed: soPassed,
    text: excludedBy
      ? `excluded: ${excludedBy.text}`
      : best
        ? `${best.level}: ${best.text}`
        : 'synthetic opioid use is neither suspected nor confirmed',
  });

  const meets = checks.every((c) => c.passed);
  const rule: RuleRef | null = meets && best ? { id: best.id, level: best.level, text: best.text } : null;
  const failed = checks.filter((c) => !c.passed).map((c) => c.text);
  return {
    definitionId: def.id,
    meets,
    level: rule?.level ?? null,
    rule,
    matchedRules: matched.map(({ id, level, text }) => ({ id, level, text })),
    excludedBy,
    checks,
    summary: meets && rule ? `${capitalise(rule.level)} case: ${rule.text}.` : `Not a case: ${failed.join('; ')}.`,
    because: meets && best ? best.because : [],
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Classify a report against every area definition that covers its local authority and
 * return the strongest result (a case beats a non-case; a higher level beats a lower).
 * Null when no definition covers the report's area.
 */
export function classifyForAreas(incident: IncidentRecord, defs: readonly CaseDefinition[]): CaseClassification | null {
  let best: CaseClassification | null = null;
  for (const def of defs) {
    if (def.localAuthorities !== 'any' && !def.localAuthorities.includes(incident.local_authority)) continue;
    const c = classifyIncident(incident, def);
    if (
      best === null ||
      (c.meets && !best.meets) ||
      (c.meets && best.meets && c.level !== null && best.level !== null && compareLevels(c.level, best.level) > 0)
    ) {
      best = c;
    }
  }
  return best;
}
