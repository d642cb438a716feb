import { describe, expect, it } from 'vitest';
import { defaultMatConfig as cfg, makeMatConfig } from './config';
import { classificationWindowStart, continuousBlocks, continuousPrescriptionOn, preparePrescriptions, segmentOn } from './continuity';
import { isoOf, toDayNumber } from './dates';
import { rx } from './test-factories';

describe('continuity: gaps up to continuityGapDays continue the prescription', () => {
  // First segment covers 1–10 January; the second starts on the given day.
  it.each([
    ['2024-01-11', 0, '2024-01-01'], // back to back
    ['2024-01-12', 1, '2024-01-01'],
    ['2024-01-18', 7, '2024-01-01'], // 7 uncovered days (11..17): continues
    ['2024-01-19', 8, '2024-01-19'], // 8 uncovered days (11..18): breaks
    ['2024-02-01', 21, '2024-02-01'],
  ])('second segment from %s (gap %i days) → continuous since %s', (secondStart, _gap, expected) => {
    const segs = [rx('2024-01-01', '2024-01-10'), rx(secondStart, null)];
    expect(continuousPrescriptionOn(segs, '2024-03-01', cfg)?.start).toBe(expected);
  });

  it('the gap tolerance is configuration', () => {
    const segs = [rx('2024-01-01', '2024-01-10'), rx('2024-01-19', null)];
    expect(continuousPrescriptionOn(segs, '2024-03-01', makeMatConfig({ continuityGapDays: 8 }))?.start).toBe('2024-01-01');
  });

  it('a day inside a tolerated gap is not covered (not in MAT that day)', () => {
    const segs = [rx('2024-01-01', '2024-01-10'), rx('2024-01-15', null)];
    expect(continuousPrescriptionOn(segs, '2024-01-12', cfg)).toBeNull();
    expect(continuousPrescriptionOn(segs, '2024-01-10', cfg)?.start).toBe('2024-01-01'); // end is inclusive
    expect(continuousPrescriptionOn(segs, '2024-01-15', cfg)?.start).toBe('2024-01-01');
  });

  it('ignores segments starting after the date', () => {
    const segs = [rx('2024-01-01', '2024-01-31'), rx('2024-02-01', null, 70)];
    const c = continuousPrescriptionOn(segs, '2024-01-20', cfg);
    expect(c?.current.dose_mg).toBe(60);
    expect(c?.segments).toHaveLength(1);
  });

  it('a medication switch within the tolerance continues the prescription', () => {
    const segs = [rx('2024-01-01', '2024-02-10', 60), rx('2024-02-14', null, 16, 'buprenorphine')];
    const c = continuousPrescriptionOn(segs, '2024-03-01', cfg);
    expect(c?.start).toBe('2024-01-01');
    expect(c?.current.medication).toBe('buprenorphine');
  });

  it('gaps are measured from the furthest coverage so far, through overlaps', () => {
    // A long segment overlapped by a short one; the next starts 7 days after the long one ends.
    const segs = [rx('2024-01-01', '2024-03-31'), rx('2024-02-01', '2024-02-10', 70), rx('2024-04-08', null)];
    expect(continuousPrescriptionOn(segs, '2024-05-01', cfg)?.start).toBe('2024-01-01');
    const broken = [rx('2024-01-01', '2024-03-31'), rx('2024-02-01', '2024-02-10', 70), rx('2024-04-09', null)];
    expect(continuousPrescriptionOn(broken, '2024-05-01', cfg)?.start).toBe('2024-04-09');
  });
});

describe('segment in effect with overlapping segments', () => {
  const long = rx('2024-01-01', '2024-03-31', 60);
  const short = rx('2024-02-01', '2024-02-15', 70);
  it.each([
    ['2024-01-31', 60],
    ['2024-02-01', 70], // later start wins
    ['2024-02-15', 70],
    ['2024-02-16', 60], // back to the long one
    ['2024-03-31', 60],
  ])('on %s the dose is %i mg', (date, dose) => {
    expect(segmentOn([long, short], date, cfg)?.dose_mg).toBe(dose);
  });
  it('no segment after the last end', () => expect(segmentOn([long, short], '2024-04-01', cfg)).toBeNull());
  it('same start: the larger prescription_id wins', () => {
    const a = { ...rx('2024-01-01', null, 50), prescription_id: 'a' };
    const b = { ...rx('2024-01-01', null, 55), prescription_id: 'b' };
    expect(segmentOn([b, a], '2024-01-05', cfg)?.prescription_id).toBe('b');
  });
});

describe('blocks and invalid segments', () => {
  it('lists continuous prescriptions in order', () => {
    const blocks = continuousBlocks([rx('2024-03-01', null), rx('2024-01-01', '2024-01-31'), rx('2024-02-05', '2024-02-10')], cfg);
    expect(blocks.map((b) => [b.start, b.end, b.segments.length])).toEqual([
      ['2024-01-01', '2024-02-10', 2],
      ['2024-03-01', null, 1],
    ]);
  });
  it('leaves out segments with bad dates or ending before they start', () => {
    const bad = rx('2024-02-10', '2024-02-01');
    const p = preparePrescriptions([bad, rx('2024-13-01', null), rx('2024-01-01', null)], cfg);
    expect(p.segs).toHaveLength(1);
    expect(p.invalid).toHaveLength(2);
  });
});

describe('classificationWindowStart (how far back a classification can look)', () => {
  it.each([
    // D = 2024-06-30: the longest of the evidence window (91), the regime window (28) and
    // induction (28 + 1), then the continuity gap (7) and one day: D − 99.
    [cfg, '2024-06-30', '2024-03-23'],
    [makeMatConfig({ evidenceWindowDays: 20, regimeWindowDays: 40 }), '2024-06-30', '2024-05-13'],
    [makeMatConfig({ inductionDays: 60, evidenceWindowDays: 30, continuityGapDays: 0 }), '2024-06-30', '2024-04-29'],
  ])('%#: on %s from %s', (config, date, expected) => {
    expect(isoOf(classificationWindowStart(toDayNumber(date), config))).toBe(expected);
  });
});
