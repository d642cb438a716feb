import { describe, expect, it } from 'vitest';
import { matFactsFromClassification } from './mat-facts';
import { riskProfile } from './profile';
import { AS_OF, daysAgo, quietInput } from './test-factories';

describe('matFactsFromClassification', () => {
  const classification = {
    stage: 'MAT2' as const,
    ogBand: 'below' as const,
    regime: 'reducing' as const,
    medication: 'methadone',
    doseMg: 40,
    prescriptionId: 'RX5',
    continuousStart: daysAgo(200),
    daysSinceStart: 200,
    evidence: { date: daysAgo(6), opiateDays: 12, illicitSubstances: ['heroin_6mam'] },
    evidenceRefs: [
      { kind: 'prescription', id: 'RX5', date: daysAgo(200) },
      { kind: 'top', id: 'T5', date: daysAgo(6) },
      { kind: 'drug_test', id: 'D5', date: daysAgo(6) },
      { kind: 'top', id: 'T4', date: daysAgo(60) },
    ],
  };

  it('maps the MAT classification and keeps the latest-evidence records', () => {
    const facts = matFactsFromClassification(classification);
    expect(facts).toMatchObject({ stage: 'MAT2', ogBand: 'below', regime: 'reducing', inMatStartDate: daysAgo(200), daysInTreatment: 200, prescriptionId: 'RX5' });
    expect(facts.stageEvidence).toEqual([
      { kind: 'top', id: 'T5', date: daysAgo(6), detail: 'opiate_days=12' },
      { kind: 'drug_test', id: 'D5', date: daysAgo(6), detail: 'positive: heroin_6mam' },
    ]);
  });

  it('feeds the profile: on_top and a reducing-below-OG transition', () => {
    const p = riskProfile(quietInput({ mat: matFactsFromClassification(classification) }), AS_OF);
    expect(p.flags.map((f) => f.code)).toEqual(['on_top', 'treatment_transition']);
    expect(p.flags[0]?.evidence.map((e) => e.id)).toEqual(['T5', 'D5', 'RX5']);
  });

  it('not in MAT', () => {
    const facts = matFactsFromClassification({ stage: null, ogBand: null, regime: null });
    expect(facts.stage).toBeNull();
    expect(facts.stageEvidence).toBeUndefined();
  });
});
