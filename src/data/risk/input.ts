/**
 * The risk rules' input (src/domain/risk `RiskInput`) from a loaded history and the MAT
 * classification of the profile date: the one adapter used by reports, worklists and
 * the person record.
 */
import type { MatClassification } from '../../domain/mat';
import { matFactsFromClassification, type DrugTestRow, type RiskInput, type TopRow } from '../../domain/risk';
import type { PersonFullHistory } from '../history';

export function riskInputOf(h: PersonFullHistory, classification: MatClassification | null): RiskInput {
  return {
    person: h.person,
    tops: h.mat.tops as readonly TopRow[],
    // drug_tests.result is NOT NULL in the database, so every row has a result.
    drugTests: h.mat.drug_tests as readonly DrugTestRow[],
    riskEvents: h.risk_events,
    naloxone: h.naloxone,
    episodes: h.episodes,
    mat: classification === null || !classification.inMat ? null : matFactsFromClassification(classification),
  };
}
