import { describe, expect, it } from 'vitest';
import { defaultMatConfig as cfg, makeMatConfig } from './config';
import { assessSupervision, latestScReview, scAnswer, scRate, type ScAssessmentInput, type ScRecommendationCode } from './supervised';
import { review } from './test-factories';
import type { MatClassification } from './types';

const noRisk = { diverted: false, vulnerable: false, regular_on_top: false, other_risk: false };

describe('the shipped questionnaire', () => {
  it('has the three items the toolkit names plus "other risk"', () => {
    expect(cfg.supervisedConsumption.questionnaire.items.map((i) => [i.id, i.drivesDecision])).toEqual([
      ['diverted', true],
      ['vulnerable', true],
      ['regular_on_top', true],
      ['other_risk', false],
    ]);
  });
  it('reads answers from columns, overridden by answers', () => {
    const r = review('2018-10-01', { diverted: true }, { answers: { vulnerable: true, extra_item: false } });
    expect([scAnswer(r, 'diverted'), scAnswer(r, 'vulnerable'), scAnswer(r, 'extra_item'), scAnswer(r, 'other_risk'), scAnswer(r, 'unknown')]).toEqual([true, true, false, null, null]);
  });
});

describe('assessSupervision recommendations (toolkit §6.4.3)', () => {
  const base: ScAssessmentInput = { date: '2018-10-31', supervised: true, pickup: 'daily', review: review('2018-09-01', noRisk), onTopDays: 0 };
  it.each<[string, Partial<ScAssessmentInput>, ScRecommendationCode[]]>([
    ['on SC, no risk item → relax, daily pick-up first', {}, ['relax_to_daily_pickup']],
    ['no review on record → review due', { review: null }, ['review_due']],
    ['no review and heavy on-top use', { review: null, onTopDays: 25 }, ['review_due', 'optimise_dose']],
    ['on-top on 21 of 28 days → optimise dose, no relaxation', { onTopDays: 21 }, ['optimise_dose']],
    ['on-top on exactly 20 days is not "more than 20"', { onTopDays: 20 }, ['relax_to_daily_pickup']],
    ['on SC with a risk item → daily pick-up with a plan', { review: review('2018-09-01', { ...noRisk, vulnerable: true }) }, ['daily_pickup_with_risk_plan']],
    ['on SC, an item unanswered → review incomplete', { review: review('2018-09-01', { diverted: false, vulnerable: false, regular_on_top: false }) }, ['review_incomplete']],
    ['next review date passed', { review: review('2018-05-01', noRisk, { next_review_date: '2018-10-30' }) }, ['review_overdue', 'relax_to_daily_pickup']],
    ['next review date is today: not overdue', { review: review('2018-05-01', noRisk, { next_review_date: '2018-10-31' }) }, ['relax_to_daily_pickup']],
    ['not supervised, daily pick-up, no risk → relax further', { supervised: false }, ['consider_further_relaxation']],
    ['not supervised, weekly pick-up, no risk → nothing', { supervised: false, pickup: 'weekly' }, []],
    ['supervision unknown → nothing but the review rules', { supervised: null }, []],
  ])('%s', (_n, over, codes) => {
    expect(assessSupervision({ ...base, ...over }, cfg).recommendations.map((r) => r.code)).toEqual(codes);
  });
  it('names the risk items', () => {
    const a = assessSupervision({ ...base, review: review('2018-09-01', { ...noRisk, diverted: true, other_risk: true }) }, cfg);
    expect(a.riskItems).toEqual(['diverted', 'other_risk']);
    expect(a.recommendations[0]?.message).toContain('Medication diverted this episode; Other risk');
  });
  it('the on-top threshold and questionnaire are configuration', () => {
    const c = makeMatConfig({
      supervisedConsumption: { ...cfg.supervisedConsumption, onTopDaysThreshold: 10, questionnaire: { version: 'x', items: [{ id: 'children', label: 'Children at home', drivesDecision: true }] } },
    });
    // the base review does not answer the new item, so it is also incomplete
    expect(assessSupervision({ ...base, onTopDays: 11 }, c).recommendations.map((r) => r.code)).toEqual(['optimise_dose', 'review_incomplete']);
    const r = review('2018-09-01', {}, { answers: { children: true } });
    expect(assessSupervision({ ...base, review: r }, c).riskItems).toEqual(['children']);
  });
});

describe('latestScReview and scRate', () => {
  it('takes the latest review on or before the date', () => {
    const rs = [review('2018-01-01', {}, { review_id: 'a' }), review('2018-06-01', {}, { review_id: 'b' }), review('2018-12-01', {}, { review_id: 'c' })];
    expect(latestScReview(rs, '2018-10-31')?.review_id).toBe('b');
    expect(latestScReview(rs, '2017-12-31')).toBeNull();
    expect(latestScReview(undefined, '2018-10-31')).toBeNull();
  });
  it('rate = supervised ÷ people in MAT with supervision recorded', () => {
    const c = (inMat: boolean, supervised: boolean | null): Pick<MatClassification, 'inMat' | 'supervised'> => ({ inMat, supervised });
    expect(scRate([c(true, true), c(true, false), c(true, true), c(true, null), c(false, true)])).toEqual({ supervised: 2, known: 3, inMat: 4, rate: 2 / 3 });
    expect(scRate([]).rate).toBeNull();
  });
});
