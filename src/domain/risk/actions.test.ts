import { describe, expect, it } from 'vitest';
import { actionsForFlag, RECOMMENDED_ACTIONS } from './actions';
import { mat } from './test-factories';
import { FLAG_CODES, type Evidence, type FlagCode, type RiskFlag } from './types';

const flag = (code: FlagCode, evidence: Evidence[] = []): RiskFlag => ({ code, critical: false, evidence, reason: '' });
const ids = (code: FlagCode, m: Parameters<typeof mat>[0] | null, evidence: Evidence[] = []) =>
  actionsForFlag(flag(code, evidence), { mat: m === null ? null : mat(m) }).map((a) => a.id);

describe('RECOMMENDED_ACTIONS', () => {
  it.each(FLAG_CODES)('%s has actions with unique, prefixed ids and a source', (code) => {
    const list = RECOMMENDED_ACTIONS[code];
    expect(list.length).toBeGreaterThan(0);
    for (const a of list) {
      expect(a.id.startsWith(`${code}.`)).toBe(true);
      expect(a.sources.length).toBeGreaterThan(0);
      expect(a.text.length).toBeGreaterThan(10);
    }
  });

  it('ids are unique across the catalogue', () => {
    const all = FLAG_CODES.flatMap((c) => RECOMMENDED_ACTIONS[c].map((a) => a.id));
    expect(new Set(all).size).toBe(all.length);
  });

  it("on_top follows Appendix E: dose review, supervised consumption, naloxone, more review", () => {
    const got = ids('on_top', { stage: 'MAT2' });
    expect(got).toEqual(expect.arrayContaining(['on_top.optimise_dose', 'on_top.supervised_consumption', 'on_top.naloxone', 'on_top.increase_review']));
    const text = RECOMMENDED_ACTIONS.on_top.map((a) => a.text).join(' ');
    expect(text).toContain('Divide doses, in addition, if a fast metaboliser');
    expect(text).toContain('monitor for successful progress before relaxing');
  });

  it('depressant co-use follows Appendix E (alcohol/benzodiazepine row)', () => {
    const text = RECOMMENDED_ACTIONS.depressant_co_use.map((a) => a.text).join(' ');
    expect(text).toContain('assisted withdrawal');
    expect(text).toContain('breathalyser');
  });
});

describe('actionsForFlag applies conditions', () => {
  it.each<[string, FlagCode, Parameters<typeof mat>[0] | null, string, boolean]>([
    ['re-stabilise only on a reducing regime', 'on_top', { stage: 'MAT2', regime: 'reducing' }, 'on_top.restabilise', true],
    ['not on a static regime', 'on_top', { stage: 'MAT2', regime: 'static' }, 'on_top.restabilise', false],
    ['no dose review when not in MAT', 'on_top', { stage: null }, 'on_top.optimise_dose', false],
    ['no dose review without MAT facts', 'on_top', null, 'on_top.optimise_dose', false],
    ['titration advice in induction', 'depressant_co_use', { stage: 'MAT1' }, 'depressant_co_use.titration', true],
    ['no titration advice in MAT 3', 'depressant_co_use', { stage: 'MAT3' }, 'depressant_co_use.titration', false],
    ['induction advice for MAT 1', 'treatment_transition', { stage: 'MAT1' }, 'treatment_transition.induction', true],
    ['reduction review for reducing', 'treatment_transition', { regime: 'reducing' }, 'treatment_transition.reduction', true],
    ['no reduction review when static', 'treatment_transition', { regime: 'static' }, 'treatment_transition.reduction', false],
  ])('%s', (_name, code, m, id, present) => {
    expect(ids(code, m).includes(id)).toBe(present);
  });

  it('after-exit advice only when an ended episode is cited', () => {
    const ep: Evidence = { kind: 'episode', id: 'EP1', date: '2024-06-01', detail: 'ended (planned)' };
    expect(ids('treatment_transition', {}, [ep])).toContain('treatment_transition.after_exit');
    expect(ids('treatment_transition', {}, [])).not.toContain('treatment_transition.after_exit');
  });
});
