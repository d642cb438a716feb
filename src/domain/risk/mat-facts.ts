/**
 * Adapter from the MAT module's classification to the MAT facts the risk rules read.
 *
 * The risk module does not import src/domain/mat (the two are built independently);
 * `MatClassificationLike` is the structural subset of mat's `MatClassification` used
 * here, so `matFactsFromClassification(classifyPerson(...))` type-checks as long as mat
 * keeps these fields.
 */
import type { Evidence, MatFacts, MatStage, OgBand, Regime } from './types';

export interface MatClassificationLike {
  stage: MatStage | null;
  ogBand: OgBand | null;
  regime: Regime | null;
  medication?: string | null;
  doseMg?: number | null;
  prescriptionId?: string | null;
  /** Start of the continuous prescription covering the date. */
  continuousStart?: string | null;
  /** date − continuousStart. */
  daysSinceStart?: number | null;
  /** Latest evidence in the evidence window (MAT 2 / MAT 3 decision). */
  evidence?: { date: string; opiateDays: number | null; illicitSubstances: readonly string[] } | null;
  /** Records behind the decision. */
  evidenceRefs?: readonly { kind: string; id: string; date: string }[];
}

export function matFactsFromClassification(c: MatClassificationLike): MatFacts {
  const facts: MatFacts = {
    stage: c.stage,
    ogBand: c.ogBand,
    regime: c.regime,
    inMatStartDate: c.continuousStart ?? null,
    daysInTreatment: c.daysSinceStart ?? null,
    prescriptionId: c.prescriptionId ?? null,
    medication: c.medication ?? null,
    doseMg: c.doseMg ?? null,
  };
  const ev = c.evidence;
  if (ev && c.evidenceRefs) {
    const stageEvidence: Evidence[] = [];
    for (const ref of c.evidenceRefs) {
      if (ref.date !== ev.date) continue; // the latest-evidence records only
      if (ref.kind === 'top') {
        const detail = ev.opiateDays === null ? 'TOP' : `opiate_days=${ev.opiateDays}`;
        stageEvidence.push({ kind: 'top', id: ref.id, date: ref.date, detail });
      } else if (ref.kind === 'drug_test') {
        const detail = ev.illicitSubstances.length > 0 ? `positive: ${ev.illicitSubstances.join(', ')}` : 'drug test';
        stageEvidence.push({ kind: 'drug_test', id: ref.id, date: ref.date, detail });
      }
    }
    if (stageEvidence.length > 0) facts.stageEvidence = stageEvidence;
  }
  return facts;
}
