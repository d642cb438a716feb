import { describe, expect, it } from 'vitest';
import { defaultMatConfig as cfg, makeMatConfig } from './config';
import { preparePrescriptions } from './continuity';
import { toDayNumber } from './dates';
import { inEvidenceWindow, isIllicitOpioid, isValidTopDays, prepareEvidence, prescribedAround } from './evidence';
import { rx, test, top } from './test-factories';
import type { Medication, Substance } from './types';

describe('illicit opioid (domain §1.2)', () => {
  it.each<[Substance, Medication[], boolean]>([
    ['heroin_6mam', ['methadone'], true],
    ['heroin_6mam', ['diamorphine'], true], // listed without qualification in the domain
    ['fentanyl', ['methadone'], true],
    ['nitazene', ['buprenorphine'], true],
    ['morphine', ['methadone'], true], // morphine not prescribed
    ['morphine', ['morphine_sr'], false], // prescribed morphine
    ['morphine', ['diamorphine'], false], // diamorphine's metabolite
    ['methadone', ['methadone'], false], // the one prescribed
    ['buprenorphine', ['methadone'], true], // an opioid other than the one prescribed
    ['methadone', ['buprenorphine'], true],
    ['methadone', ['buprenorphine_weekly_injection'], true],
    ['buprenorphine', ['buprenorphine_weekly_injection'], false],
    ['buprenorphine', ['buprenorphine_monthly_injection'], false],
    ['codeine', ['methadone'], true],
    ['oxycodone', ['methadone'], true],
    ['tramadol', ['buprenorphine'], true],
    ['codeine', ['other'], true],
    ['methadone', [], true], // nothing prescribed then
    ['methadone', ['methadone', 'buprenorphine'], false],
    ['cocaine', ['methadone'], false], // not an opioid
    ['benzodiazepine', ['methadone'], false],
    ['xylazine', ['methadone'], false],
  ])('%s positive with %j prescribed → illicit %s', (s, meds, expected) => {
    expect(isIllicitOpioid(s, meds, cfg)).toBe(expected);
  });

  it('what "other" OST explains is configuration', () => {
    const c = makeMatConfig({ illicitOpioids: { ...cfg.illicitOpioids, licitWhenPrescribed: { ...cfg.illicitOpioids.licitWhenPrescribed, other: ['codeine'] } } });
    expect(isIllicitOpioid('codeine', ['other'], c)).toBe(false);
  });
});

describe('TOP opiate days validity', () => {
  it.each([
    [0, true],
    [28, true],
    [12, true],
    [29, false],
    [-1, false],
    [2.5, false],
    [null, false],
    [undefined, false],
  ])('%s → %s', (v, ok) => expect(isValidTopDays(v, cfg)).toBe(ok));
});

describe('evidence window: D − 91 counts, D − 92 does not', () => {
  const d = toDayNumber('2018-10-31');
  it.each([
    ['2018-10-31', true],
    ['2018-08-01', true], // 91 days
    ['2018-07-31', false], // 92 days
    ['2018-11-01', false], // after D
  ])('%s → %s', (date, ok) => expect(inEvidenceWindow(toDayNumber(date), d, cfg)).toBe(ok));
});

describe('prepareEvidence', () => {
  const meth = preparePrescriptions([rx('2018-01-01', null, 60)], cfg);

  it('groups by date and test, combining TOP and tests of the same day', () => {
    const ev = prepareEvidence(
      [top('2018-09-14', 0), top('2018-08-01', 12)],
      [...test('2018-09-14', { heroin_6mam: 'positive', methadone: 'positive' }, 'T1'), ...test('2018-09-14', { cocaine: 'positive' }, 'T2')],
      meth,
      cfg,
    );
    expect(ev.days.map((d) => d.date)).toEqual(['2018-08-01', '2018-09-14']);
    const last = ev.days[1];
    expect(last?.positive).toBe(true);
    expect(last?.tops).toEqual([expect.objectContaining({ opiate_days: 0 })]);
    expect(last?.tests).toEqual([
      { test_id: 'T1', illicit: ['heroin_6mam'], prescribedPositives: ['methadone'], otherPositives: [], rows: 2 },
      { test_id: 'T2', illicit: [], prescribedPositives: [], otherPositives: ['cocaine'], rows: 1 },
    ]);
  });

  it('skips TOPs with unknown or out-of-range opiate days and test rows with no result', () => {
    const ev = prepareEvidence(
      [top('2018-09-01', null), top('2018-09-02', 35)],
      [{ test_id: 'X', date: '2018-09-03', substance: 'heroin_6mam', result: null }],
      meth,
      cfg,
    );
    expect(ev.days).toEqual([]);
    expect(ev.topsSorted.map((t) => t.date)).toEqual(['2018-09-01', '2018-09-02']); // still TOPs on record
  });

  it('judges "the one prescribed" on the test date, with the continuity gap after a segment ends', () => {
    const p = preparePrescriptions([rx('2018-01-01', '2018-06-30', 60), rx('2018-07-01', null, 16, 'buprenorphine')], cfg);
    expect(prescribedAround(p, toDayNumber('2018-06-15'), cfg)).toEqual(['methadone']);
    expect(prescribedAround(p, toDayNumber('2018-07-05'), cfg)).toEqual(['methadone', 'buprenorphine']);
    expect(prescribedAround(p, toDayNumber('2018-07-08'), cfg)).toEqual(['buprenorphine']);
    const ended = preparePrescriptions([rx('2018-01-01', '2018-06-30', 60)], cfg);
    expect(prescribedAround(ended, toDayNumber('2018-07-07'), cfg)).toEqual(['methadone']); // 7 days after
    expect(prescribedAround(ended, toDayNumber('2018-07-08'), cfg)).toEqual([]); // 8 days after
  });
});
