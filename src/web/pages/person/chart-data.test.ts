import { describe, expect, it } from 'vitest';
import { DAY_MS, doseSeries, ms } from './chart-data';

const rx = (id: string, medication: string, dose: number | null, start: string, end: string | null) => ({
  prescription_id: id,
  medication,
  dose_mg: dose,
  start_date: start,
  end_date: end,
});

describe('doseSeries', () => {
  it.each<[string, ReturnType<typeof rx>[], [number, number | null][]]>([
    ['one open segment runs to the profile date', [rx('a', 'methadone', 30, '2024-01-01', null)], [[ms('2024-01-01'), 30], [ms('2024-06-30'), 30]]],
    [
      'contiguous segments (next day) join without a break',
      [rx('b', 'methadone', 40, '2024-02-01', null), rx('a', 'methadone', 30, '2024-01-01', '2024-01-31')],
      [[ms('2024-01-01'), 30], [ms('2024-01-31'), 30], [ms('2024-02-01'), 40], [ms('2024-06-30'), 40]],
    ],
    [
      'a gap breaks the line',
      [rx('a', 'methadone', 30, '2024-01-01', '2024-01-31'), rx('b', 'methadone', 40, '2024-02-03', '2024-03-01')],
      [[ms('2024-01-01'), 30], [ms('2024-01-31'), 30], [ms('2024-01-31') + DAY_MS / 2, null], [ms('2024-02-03'), 40], [ms('2024-03-01'), 40]],
    ],
    ['a segment with no dose is left out', [rx('a', 'methadone', null, '2024-01-01', '2024-01-31')], []],
  ])('%s', (_name, segments, points) => {
    expect(doseSeries(segments, '2024-06-30')[0]?.points ?? []).toEqual(points);
  });

  it('draws one line per medicine', () => {
    const series = doseSeries([rx('a', 'methadone', 30, '2024-01-01', '2024-01-31'), rx('b', 'buprenorphine', 8, '2024-02-01', null)], '2024-06-30');
    expect(series.map((s) => s.medication)).toEqual(['methadone', 'buprenorphine']);
  });
});
