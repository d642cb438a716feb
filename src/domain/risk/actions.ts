/**
 * What to do about each flag: the recommended responses, as data, with their source.
 *
 * Sources (in /work/shared/seeds):
 *   - Toolkit = Change Grow Live, Improving MAT toolkit 2018 (seed 003). Its Appendix E,
 *     "Recommended responses to drug and alcohol use on top of opioid prescriptions",
 *     is taken from the Orange Guidelines 2017; the Appendix E items below keep its
 *     wording closely. Other toolkit sections are paraphrased.
 *   - Seed 001 = Collective Voice / NHS SMPA, improving clinical responses to
 *     drug-related deaths (recommendations 1–5).
 *   - Seed 000 = synthetic opioid preparedness guidance (harm-reduction priorities:
 *     reduce using alone, using without naloxone available, injecting).
 *   - "Beacon" marks a practical step the sources do not spell out; keep these few and
 *     plainly labelled so a clinical lead can remove them.
 *
 * Action ids are stable (`<flag>.<action>`): care-plan actions recorded against a flag
 * keep the id, so wording can be improved without orphaning records.
 */
import type { FlagCode, MatFacts, MatStage, OgBand, Regime, RiskFlag, RiskInput, EvidenceKind } from './types';

export type ActionOwner = 'prescriber' | 'keyworker' | 'service';

/** When an action applies; every listed criterion must hold. Absent = always. */
export interface ActionCondition {
  /** The person is (true) / is not (false) in MAT on the profile date. */
  inMat?: boolean;
  stages?: readonly MatStage[];
  regimes?: readonly Regime[];
  ogBands?: readonly OgBand[];
  /** The flag cites evidence of one of these kinds (e.g. `episode` for an ended episode). */
  evidenceKinds?: readonly EvidenceKind[];
}

export interface RecommendedAction {
  id: string;
  text: string;
  owner: ActionOwner;
  /** Where the recommendation comes from, human-readable. */
  sources: readonly string[];
  appliesWhen?: ActionCondition;
}

const APPX_E_ON_TOP = "Toolkit Appendix E (Orange Guidelines 2017): opioid use 'on top'";
const APPX_E_DEPRESSANT = 'Toolkit Appendix E (Orange Guidelines 2017): harmful or dependent alcohol or benzodiazepine use';
const APPX_E_ANY = 'Toolkit Appendix E (Orange Guidelines 2017)';
const SEED_001_R2 = 'Seed 001 recommendation 2 (guard against forced reductions or premature removal)';
const SEED_001_R3 = 'Seed 001 recommendation 3 (naloxone widely available)';
const SEED_001_R4 = 'Seed 001 recommendation 4 (physical and mental health; hepatitis B and C)';
const SEED_001_R5 = 'Seed 001 recommendation 5 (needle exchange)';
const SEED_000 = 'Seed 000 harm-reduction priorities (using alone, without naloxone, injecting)';
const BEACON = 'Beacon (practical step; not in the source documents)';

const OVERDOSE_PREVENTION: Omit<RecommendedAction, 'id'> = {
  text: 'Reinforce overdose prevention interventions: avoid using alone, avoid mixing depressants, keep naloxone to hand.',
  owner: 'keyworker',
  sources: [APPX_E_ANY, SEED_000],
};

export const RECOMMENDED_ACTIONS: Readonly<Record<FlagCode, readonly RecommendedAction[]>> = {
  on_top: [
    {
      id: 'on_top.optimise_dose',
      text:
        "Review the dose: increase it if inadequate and optimise to at least the Orange Guidelines range (methadone 60–120 mg, buprenorphine 12 mg or more), aiming for the dose that stops illicit opioid use 'on top', not only withdrawal.",
      owner: 'prescriber',
      sources: [APPX_E_ON_TOP, 'Toolkit §6.2.3, §6.3.5'],
      appliesWhen: { inMat: true },
    },
    {
      id: 'on_top.restabilise',
      text:
        "On a reducing regime: re-stabilise on a higher dose and review goals and support. People still using 'on top' should be encouraged to increase their dose, not reduce it.",
      owner: 'prescriber',
      sources: [APPX_E_ON_TOP, 'Toolkit §6.2.6'],
      appliesWhen: { regimes: ['reducing', 'detox'] },
    },
    {
      id: 'on_top.divide_doses',
      text: 'Divide doses, in addition, if a fast metaboliser.',
      owner: 'prescriber',
      sources: [APPX_E_ON_TOP],
      appliesWhen: { inMat: true },
    },
    {
      id: 'on_top.change_medication',
      text: 'Consider changing the MAT medication.',
      owner: 'prescriber',
      sources: [APPX_E_ON_TOP],
      appliesWhen: { inMat: true },
    },
    {
      id: 'on_top.supervised_consumption',
      text: 'Consider daily supervised consumption if appropriate, then monitor for successful progress before relaxing; review medication collection arrangements.',
      owner: 'prescriber',
      sources: [APPX_E_ON_TOP, 'Toolkit §6.4.3'],
      appliesWhen: { inMat: true },
    },
    {
      id: 'on_top.naloxone',
      text: 'Offer take-home naloxone (or check it is still held) and reinforce overdose prevention interventions.',
      owner: 'keyworker',
      sources: [APPX_E_ON_TOP, 'Toolkit §6.3.4', SEED_001_R3],
    },
    {
      id: 'on_top.safer_injecting',
      text: 'Ensure access to safer injecting advice and needle exchange (NEX).',
      owner: 'keyworker',
      sources: [APPX_E_ON_TOP],
    },
    {
      id: 'on_top.increase_review',
      text: 'Increase the frequency of medical review and psychosocial interventions: key work, motivational work, contingency management.',
      owner: 'service',
      sources: [APPX_E_ON_TOP],
    },
  ],

  injecting: [
    {
      id: 'injecting.safer_injecting',
      text: 'Ensure access to safer injecting advice and needle exchange (NEX); encourage safer practice.',
      owner: 'keyworker',
      sources: [APPX_E_ANY, 'Toolkit §6.1.4', SEED_001_R5],
    },
    {
      id: 'injecting.bbv',
      text: 'Offer testing for blood-borne viruses (hepatitis B and C, HIV) and treatment or referral.',
      owner: 'keyworker',
      sources: [SEED_001_R4, APPX_E_ANY],
    },
    {
      id: 'injecting.reduce_injecting',
      text: 'Work with the person towards a safer route than injecting.',
      owner: 'keyworker',
      sources: [SEED_000],
    },
    { id: 'injecting.overdose_prevention', ...OVERDOSE_PREVENTION },
  ],

  depressant_co_use: [
    {
      id: 'depressant_co_use.assess_dependence',
      text: 'Assess alcohol/benzodiazepine dependence and the need for assisted withdrawal from alcohol/benzodiazepines.',
      owner: 'prescriber',
      sources: [APPX_E_DEPRESSANT],
    },
    {
      id: 'depressant_co_use.increase_review',
      text: 'Increase medical review; increase key work, alcohol psychosocial interventions or other PSI.',
      owner: 'service',
      sources: [APPX_E_DEPRESSANT],
    },
    {
      id: 'depressant_co_use.supervised_consumption',
      text: 'Consider daily supervised consumption if appropriate, then monitor for successful progress before relaxing.',
      owner: 'prescriber',
      sources: [APPX_E_DEPRESSANT],
      appliesWhen: { inMat: true },
    },
    {
      id: 'depressant_co_use.breathalyser',
      text: 'Consider breathalyser testing to monitor progress.',
      owner: 'keyworker',
      sources: [APPX_E_DEPRESSANT],
    },
    {
      id: 'depressant_co_use.titration',
      text: 'Induction: titrate cautiously — the methadone day-1 dose advisory falls from 40 mg to 30 mg with depressant co-use.',
      owner: 'prescriber',
      sources: ['Domain §1.1 titration advisories'],
      appliesWhen: { stages: ['MAT1'] },
    },
    {
      id: 'depressant_co_use.overdose_advice',
      text:
        'Explain the overdose risk of combining opioids with alcohol or benzodiazepines, including intermittent or binge use when tolerance may be lower, and reinforce overdose prevention.',
      owner: 'keyworker',
      sources: ['Toolkit §6.1.3', APPX_E_DEPRESSANT],
    },
  ],

  recent_overdose: [
    {
      id: 'recent_overdose.urgent_review',
      text: 'Prioritise for an urgent review and optimisation of treatment.',
      owner: 'service',
      sources: ['Toolkit §6.1.4, §6.3.5'],
    },
    {
      id: 'recent_overdose.naloxone',
      text: 'Supply or replace take-home naloxone and train the person, family and friends to use it.',
      owner: 'keyworker',
      sources: [SEED_001_R3, SEED_000],
    },
    {
      id: 'recent_overdose.prevention',
      text: 'Talk through the overdose and reinforce overdose prevention interventions: avoid using alone, avoid mixing depressants.',
      owner: 'keyworker',
      sources: [APPX_E_ANY, SEED_000],
    },
    {
      id: 'recent_overdose.increase_review',
      text: 'Increase medical review and key work.',
      owner: 'service',
      sources: [APPX_E_ANY],
    },
  ],

  lowered_tolerance: [
    {
      id: 'lowered_tolerance.advice',
      text:
        'Explain that tolerance is lowered after prison, hospital or residential rehab, so a usual amount can be an overdose; reinforce overdose prevention interventions.',
      owner: 'keyworker',
      sources: ['Toolkit §6.1.3', APPX_E_ANY],
    },
    {
      id: 'lowered_tolerance.naloxone',
      text: 'Make sure take-home naloxone is supplied, on release or discharge where possible.',
      owner: 'keyworker',
      sources: [SEED_001_R3, SEED_000],
    },
    {
      id: 'lowered_tolerance.prompt_review',
      text: 'Arrange a prompt medical review: confirm the prescription continued without a gap, and re-titrate with care if doses were missed.',
      owner: 'prescriber',
      sources: [BEACON],
    },
  ],

  treatment_transition: [
    {
      id: 'treatment_transition.induction',
      text:
        'Induction: make it person-centred and as swift as safety allows, follow the titration advisories, and use supervised consumption where it helps in the early weeks (induction onto methadone carries a higher overdose risk for about a month).',
      owner: 'prescriber',
      sources: ['Toolkit §7.1.2, §6.4.1'],
      appliesWhen: { stages: ['MAT1'] },
    },
    {
      id: 'treatment_transition.reduction',
      text:
        'Review the reduction: encourage OG-dose maintenance until the person is ready for a detoxification of no more than three months; never reduce as a punitive measure or to meet targets. A person who reduces against advice: record the informed decision.',
      owner: 'prescriber',
      sources: ['Toolkit §6.2.3, §6.2.6, §7.2.2', SEED_001_R2],
      appliesWhen: { regimes: ['reducing', 'detox'] },
    },
    {
      id: 'treatment_transition.after_exit',
      text:
        'After leaving treatment: naloxone, a recovery check-up and a quick route back into treatment; at least six months of recovery support after detoxification.',
      owner: 'keyworker',
      sources: ['Toolkit Table 1 (sustained recovery), §6.5.3, §7.2.2'],
      appliesWhen: { evidenceKinds: ['episode'] },
    },
    {
      id: 'treatment_transition.no_premature_exit',
      text: 'Guard against forced reductions or premature removal from treatment.',
      owner: 'service',
      sources: [SEED_001_R2],
    },
  ],

  potent_opioid: [
    {
      id: 'potent_opioid.urgent_review',
      text: 'Prioritise for an urgent review and optimisation of MAT.',
      owner: 'service',
      sources: ['Toolkit §6.1.4, §6.3.5'],
    },
    {
      id: 'potent_opioid.naloxone',
      text: 'Make sure take-home naloxone is held by the person and by those around them (family, friends, hostel staff).',
      owner: 'keyworker',
      sources: [SEED_001_R3, SEED_000],
    },
    {
      id: 'potent_opioid.harm_reduction',
      text: 'Give harm-reduction messages about potent synthetic opioids (fentanyl, nitazenes): do not use alone, have naloxone available.',
      owner: 'keyworker',
      sources: [SEED_000],
    },
    {
      id: 'potent_opioid.share_intelligence',
      text: 'Share the result with the local drug information system (LDIS) as intelligence.',
      owner: 'service',
      sources: ['Seed 000 §3 (drug test results; Step 2 trigger)'],
    },
  ],

  housing: [
    {
      id: 'housing.support',
      text: 'Address the housing problem in the care plan and refer for housing support (social stability is part of recovery capital).',
      owner: 'keyworker',
      sources: ['Toolkit §6.3.4, §6.5.5'],
    },
    {
      id: 'housing.naloxone_where_staying',
      text: 'Make sure naloxone is available where the person stays (e.g. hostel, street outreach).',
      owner: 'keyworker',
      sources: [SEED_000],
    },
    { id: 'housing.overdose_prevention', ...OVERDOSE_PREVENTION },
  ],

  health: [
    {
      id: 'health.mental_health',
      text:
        'Review for comorbid mental-health problems; make sure needs are met in the service or by timely access to primary care and specialist NHS services (e.g. crisis team, IAPT).',
      owner: 'keyworker',
      sources: [APPX_E_ANY, SEED_001_R4, 'Toolkit §6.5.4'],
    },
    {
      id: 'health.physical_health',
      text: 'Respiratory disease: arrange review with primary care or specialists (e.g. COPD) and offer smoking cessation.',
      owner: 'keyworker',
      sources: [SEED_001_R4, 'Toolkit §6.5.4'],
    },
    {
      id: 'health.increase_review',
      text: 'Increase medical review.',
      owner: 'prescriber',
      sources: [APPX_E_ANY],
    },
  ],

  no_naloxone: [
    {
      id: 'no_naloxone.supply',
      text: 'Supply take-home naloxone and train the person to use it; offer supplies to family and friends too.',
      owner: 'keyworker',
      sources: [SEED_001_R3, 'Toolkit §6.1.4', SEED_000],
    },
    {
      id: 'no_naloxone.record_existing',
      text: 'If the person already holds naloxone from elsewhere, record the supply so the profile is complete.',
      owner: 'keyworker',
      sources: [BEACON],
    },
  ],
};

function matches(cond: ActionCondition | undefined, flag: RiskFlag, mat: MatFacts | null | undefined): boolean {
  if (!cond) return true;
  const inMat = !!mat && mat.stage !== null;
  if (cond.inMat !== undefined && cond.inMat !== inMat) return false;
  if (cond.stages && !(mat?.stage && cond.stages.includes(mat.stage))) return false;
  if (cond.regimes && !(inMat && mat?.regime && cond.regimes.includes(mat.regime))) return false;
  if (cond.ogBands && !(inMat && mat?.ogBand && cond.ogBands.includes(mat.ogBand))) return false;
  if (cond.evidenceKinds) {
    const kinds = cond.evidenceKinds;
    if (!flag.evidence.some((e) => kinds.includes(e.kind))) return false;
  }
  return true;
}

const EVIDENCE_KINDS: readonly EvidenceKind[] = ['top', 'drug_test', 'risk_event', 'naloxone', 'episode', 'prescription', 'person'];

type Catalogue = Readonly<Record<FlagCode, readonly RecommendedAction[]>>;
const memo = new WeakMap<Catalogue, Map<string, readonly RecommendedAction[]>>();

/**
 * The recommended actions that apply to one raised flag for this person. The result
 * depends only on the flag code, the MAT facts and which kinds of evidence the flag
 * cites, so it is memoised per catalogue and shared: treat it as read-only.
 */
export function actionsForFlag(
  flag: RiskFlag,
  input: Pick<RiskInput, 'mat'>,
  catalogue: Catalogue = RECOMMENDED_ACTIONS,
): readonly RecommendedAction[] {
  const mat = input.mat;
  let kinds = 0;
  for (const e of flag.evidence) kinds |= 1 << EVIDENCE_KINDS.indexOf(e.kind);
  const key = mat
    ? `${flag.code}|${kinds}|${mat.stage ?? '-'}|${mat.regime ?? '-'}|${mat.ogBand ?? '-'}`
    : `${flag.code}|${kinds}|none`;
  let byKey = memo.get(catalogue);
  if (!byKey) {
    byKey = new Map();
    memo.set(catalogue, byKey);
  }
  let out = byKey.get(key);
  if (!out) {
    out = Object.freeze(catalogue[flag.code].filter((a) => matches(a.appliesWhen, flag, mat)));
    byKey.set(key, out);
  }
  return out;
}
