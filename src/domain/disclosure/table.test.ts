import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PublishedCell } from './count';
import { DEFAULT_DISCLOSURE_POLICY, resolvePolicy, roundedInterval, type DisclosurePolicy, type Geography } from './policy';
import {
  auditPublishedTable,
  propagateBounds,
  protectOneWay,
  protectSeries,
  protectTable,
  tableLines,
  type FigureRef,
  type Margins,
  type PublishedTable,
} from './table';

const P = DEFAULT_DISCLOSURE_POLICY;

function figure(t: PublishedTable, ref: FigureRef): PublishedCell {
  let c: PublishedCell | null | undefined;
  switch (ref.kind) {
    case 'cell':
      c = t.cells[ref.row]?.[ref.column];
      break;
    case 'rowTotal':
      c = t.rowTotals?.[ref.row];
      break;
    case 'columnTotal':
      c = t.columnTotals?.[ref.column];
      break;
    case 'grandTotal':
      c = t.grandTotal;
  }
  if (!c) throw new Error(`no figure ${JSON.stringify(ref)}`);
  return c;
}

function truth(cells: number[][], ref: FigureRef): number {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  switch (ref.kind) {
    case 'cell':
      return cells[ref.row]?.[ref.column] ?? NaN;
    case 'rowTotal':
      return sum(cells[ref.row] ?? []);
    case 'columnTotal':
      return sum(cells.map((r) => r[ref.column] ?? 0));
    case 'grandTotal':
      return sum(cells.map(sum));
  }
}

function allFigures(t: PublishedTable): PublishedCell[] {
  return [...t.cells.flat(), ...(t.rowTotals ?? []), ...(t.columnTotals ?? []), ...(t.grandTotal ? [t.grandTotal] : [])];
}

function grid(t: PublishedTable): string[] {
  return t.cells.map((r, i) => [...r.map((c) => c.display), '|', t.rowTotals?.[i]?.display ?? ''].join(' ').trim());
}

/**
 * An exhaustive attacker for small tables: the set of values each primary-suppressed
 * figure can take in *some* integer assignment consistent with everything published
 * (all lines summing exactly, rounded figures within their intervals, hidden primary
 * figures in the suppressed range). Branch and bound with the engine's propagation.
 */
function exactFeasibleValues(t: PublishedTable, policy: DisclosurePolicy, cap: number): Map<string, Set<number>> {
  const nRows = t.cells.length;
  const nCols = t.cells[0]?.length ?? 0;
  const lines = tableLines(nRows, nCols, t.margins);
  const refs: FigureRef[] = [];
  const key = (r: FigureRef) => JSON.stringify(r);
  const index = new Map<string, number>();
  for (const line of lines) {
    for (const r of line) {
      if (index.has(key(r))) continue;
      index.set(key(r), refs.length);
      refs.push(r);
    }
  }
  const numLines = lines.map((l) => l.map((r) => index.get(key(r)) ?? -1));
  const lo0: number[] = [];
  const hi0: number[] = [];
  for (const r of refs) {
    const c = figure(t, r);
    let bounds: [number, number];
    if (c.status === 'primary-suppressed') bounds = [policy.suppressZeros ? 0 : policy.suppressFrom, policy.suppressTo];
    else if (c.status === 'secondary-suppressed') bounds = [0, cap];
    else if (c.status === 'rounded') bounds = roundedInterval(c.value ?? 0, policy);
    else bounds = [c.value ?? 0, c.value ?? 0];
    lo0.push(bounds[0]);
    hi0.push(bounds[1]);
  }
  const feasible = (lo: number[], hi: number[]): boolean => {
    if (!propagateBounds(numLines, lo, hi)) return false;
    let pick = -1;
    let width = Infinity;
    lo.forEach((l, i) => {
      const w = (hi[i] ?? 0) - l;
      if (w > 0 && w < width) {
        pick = i;
        width = w;
      }
    });
    if (pick < 0) return true;
    for (let v = lo[pick] ?? 0; v <= (hi[pick] ?? 0); v++) {
      const lo2 = [...lo];
      const hi2 = [...hi];
      lo2[pick] = v;
      hi2[pick] = v;
      if (feasible(lo2, hi2)) return true;
    }
    return false;
  };
  const out = new Map<string, Set<number>>();
  refs.forEach((r, i) => {
    if (figure(t, r).status !== 'primary-suppressed') return;
    const vals = new Set<number>();
    for (let v = lo0[i] ?? 0; v <= (hi0[i] ?? 0); v++) {
      const lo = [...lo0];
      const hi = [...hi0];
      lo[i] = v;
      hi[i] = v;
      if (feasible(lo, hi)) vals.add(v);
    }
    out.set(key(r), vals);
  });
  return out;
}

const smallCount = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 40 }));
const tableArb = (maxRows: number, maxCols: number, count = smallCount) =>
  fc
    .tuple(fc.integer({ min: 1, max: maxRows }), fc.integer({ min: 1, max: maxCols }))
    .chain(([r, c]) => fc.array(fc.array(count, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));
const marginsArb = fc.constantFrom<Margins>('both', 'rows', 'columns', 'both');
const geoArb = fc.constantFrom<Geography>('sub-national', 'national');

describe('protectTable: table-driven cases', () => {
  it('hides 7 and shows 8 (7 vs 8 boundary), rounding 8 to 10 sub-nationally', () => {
    const t = protectTable({ cells: [[7, 8, 30, 40]], margins: 'none' }, P);
    expect(t.cells[0]?.map((c) => c.display)).toEqual(['*', '10', '30', '40']);
    expect(t.cells[0]?.map((c) => c.status)).toEqual(['primary-suppressed', 'rounded', 'rounded', 'rounded']);
    const n = protectTable({ cells: [[7, 8]], margins: 'none' }, P, { geography: 'national' });
    expect(n.cells[0]?.map((c) => c.display)).toEqual(['*', '8']);
  });

  it('hides a second cell in a row so that total − shown cells does not give the hidden one', () => {
    const t = protectTable({ cells: [[3, 50, 60]], margins: 'rows' }, P, { geography: 'national' });
    expect(grid(t)).toEqual(['* * 60 | 113']);
    expect(t.cells[0]?.[1]?.status).toBe('secondary-suppressed');
  });

  it('hides the total as well when both cells are 7 (7 + 7 = 14 pins both)', () => {
    const t = protectTable({ cells: [[7, 7]], margins: 'rows' }, P, { geography: 'national' });
    expect(grid(t)).toEqual(['* * | *']);
    expect(auditPublishedTable(t, P).exposed).toEqual([]);
  });

  it('keeps a row of two small counts with a shown total when the total leaves a range', () => {
    // 3 + 5 = 8: each of the two hidden counts could be 1 … 7.
    const t = protectTable({ cells: [[3, 5]], margins: 'rows' }, P, { geography: 'national' });
    expect(grid(t)).toEqual(['* * | 8']);
    expect(auditPublishedTable(t, P).cells[0]).toEqual([
      { lo: 1, hi: 7 },
      { lo: 1, hi: 7 },
    ]);
  });

  it('protects a 3×3 table with margins: every line has 0 or ≥2 hidden figures', () => {
    const cells = [
      [3, 20, 30],
      [15, 40, 12],
      [9, 8, 50],
    ];
    const t = protectTable({ cells, rowLabels: ['a', 'b', 'c'], columnLabels: ['x', 'y', 'z'] }, P);
    expect(grid(t)).toEqual(['* * 30 | 55', '15 40 10 | 65', '* * 50 | 65']);
    expect(t.columnTotals?.map((c) => c.display)).toEqual(['25', '70', '90']);
    expect(t.grandTotal?.display).toBe('185');
    expect(t.note).toMatch(/\* = a count of 1 to 7/);
    expect(t.note).toMatch(/nearest 5/);
  });

  it('shows zero as 0 and does not hide it by default; suppressZeros hides it', () => {
    const t = protectTable({ cells: [[0, 20, 30]], margins: 'rows' }, P);
    expect(grid(t)).toEqual(['0 20 30 | 50']);
    expect(t.cells[0]?.[0]?.status).toBe('shown');
    const z = protectTable({ cells: [[0, 20, 30]], margins: 'rows' }, resolvePolicy({ suppressZeros: true }));
    expect(grid(z)).toEqual(['* * 30 | 50']);
  });

  it('prefers hiding a non-zero cell to a zero, and a cell to the total', () => {
    const t = protectTable({ cells: [[2, 0, 0, 9]], margins: 'rows' }, P, { geography: 'national' });
    expect(grid(t)).toEqual(['* 0 0 * | 11']);
  });

  it('a table without margins only needs primary suppression', () => {
    const t = protectTable({ cells: [[1, 9], [10, 2]], margins: 'none' }, P, { geography: 'national' });
    expect(t.cells.flat().map((c) => c.display)).toEqual(['*', '9', '10', '*']);
    expect(t.rowTotals).toBeNull();
    expect(t.columnTotals).toBeNull();
    expect(t.grandTotal).toBeNull();
  });

  it('hides a small total (primary) and then protects it in its margin line', () => {
    const t = protectTable({ cells: [[2, 3], [20, 30]] }, P, { geography: 'national' });
    expect(t.rowTotals?.[0]?.status).toBe('primary-suppressed');
    expect(auditPublishedTable(t, P).exposed).toEqual([]);
    // The margin column (row totals + grand total) must not have exactly one hidden.
    const hiddenInMarginColumn = [...(t.rowTotals ?? []), t.grandTotal].filter((c) => c?.value === null).length;
    expect(hiddenInMarginColumn === 0 || hiddenInMarginColumn >= 2).toBe(true);
  });

  it('is deterministic', () => {
    const table = { cells: [[1, 2, 3], [4, 50, 6], [70, 8, 9]] };
    expect(protectTable(table, P)).toEqual(protectTable(table, P));
  });

  it.each([
    ['ragged rows', { cells: [[1, 2], [3]] }],
    ['negative count', { cells: [[1, -2]] }],
    ['fractional count', { cells: [[1.5]] }],
    ['empty table', { cells: [] }],
    ['row total that does not add up', { cells: [[10, 10]], rowTotals: [25] }],
    ['column total that does not add up', { cells: [[10], [10]], columnTotals: [21] }],
    ['grand total that does not add up', { cells: [[10, 10]], grandTotal: 19 }],
  ])('rejects %s', (_name, table) => {
    expect(() => protectTable(table, P)).toThrow(RangeError);
  });

  it('accepts supplied totals that add up', () => {
    const t = protectTable({ cells: [[10, 10]], rowTotals: [20], columnTotals: [10, 10], grandTotal: 20 }, P);
    expect(t.grandTotal?.display).toBe('20');
  });
});

describe('protectOneWay and protectSeries', () => {
  it('one-way table with total: the total never gives away the hidden entry', () => {
    const t = protectOneWay(
      [
        { label: 'police', count: 4 },
        { label: 'ambulance', count: 22 },
        { label: 'A&E', count: 31 },
      ],
      P,
    );
    expect(t.entries.map((e) => [e.label, e.cell.display])).toEqual([
      ['police', '*'],
      ['ambulance', '*'],
      ['A&E', '30'],
    ]);
    expect(t.total.display).toBe('55');
  });

  it('series without a total: each point on its own', () => {
    const s = protectSeries([0, 1, 7, 8, 12, 13], P);
    expect(s.points.map((p) => p.display)).toEqual(['0', '*', '*', '10', '10', '15']);
    expect(s.points.map((p) => p.value)).toEqual([0, null, null, 10, 10, 15]);
    expect(s.total).toBeNull();
  });

  it('series with a total gets secondary suppression', () => {
    const s = protectSeries([5, 40, 60], P, { withTotal: true, geography: 'national' });
    expect(s.points.map((p) => p.display)).toEqual(['*', '*', '60']);
    expect(s.total?.display).toBe('105');
  });

  it('national series is not rounded', () => {
    expect(protectSeries([8, 12, 13], P, { geography: 'national' }).points.map((p) => p.display)).toEqual(['8', '12', '13']);
  });
});

describe('protectTable: properties (fast-check)', () => {
  it('never publishes a count from 1 to 7, in any cell or total', () => {
    fc.assert(
      fc.property(tableArb(6, 6), marginsArb, geoArb, (cells, margins, geography) => {
        const t = protectTable({ cells, margins }, P, { geography });
        for (const c of allFigures(t)) {
          if (c.value !== null) expect(c.value === 0 || c.value >= 8).toBe(true);
          expect(/^[1-7]$/.test(c.display)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('no hidden count can be got by subtracting published cells from a published total along any row or column', () => {
    fc.assert(
      fc.property(tableArb(6, 6), marginsArb, geoArb, (cells, margins, geography) => {
        const t = protectTable({ cells, margins }, P, { geography });
        for (const line of tableLines(cells.length, cells[0]?.length ?? 0, margins)) {
          const hidden = line.filter((r) => figure(t, r).value === null);
          // Exactly one hidden figure in a line is the only way subtraction gives it away.
          expect(hidden.length === 1).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the attacker (chained subtraction with bounds, rounding intervals, "* = 1–7") pins no hidden count; truth lies in every interval', () => {
    fc.assert(
      fc.property(tableArb(6, 6), marginsArb, geoArb, (cells, margins, geography) => {
        const t = protectTable({ cells, margins }, P, { geography });
        const audit = auditPublishedTable(t, P);
        expect(audit.exposed).toEqual([]);
        const nRows = cells.length;
        const nCols = cells[0]?.length ?? 0;
        for (const line of tableLines(nRows, nCols, margins)) {
          for (const ref of line) {
            const iv =
              ref.kind === 'cell'
                ? audit.cells[ref.row]?.[ref.column]
                : ref.kind === 'rowTotal'
                  ? audit.rowTotals?.[ref.row]
                  : ref.kind === 'columnTotal'
                    ? audit.columnTotals?.[ref.column]
                    : audit.grandTotal;
            const v = truth(cells, ref);
            expect(iv && v >= iv.lo && v <= iv.hi).toBe(true);
            if (figure(t, ref).status === 'primary-suppressed') expect((iv?.hi ?? 0) - (iv?.lo ?? 0)).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rounded figures are multiples of 5 within 2 of the truth; national figures are exact', () => {
    fc.assert(
      fc.property(tableArb(5, 5), marginsArb, geoArb, (cells, margins, geography) => {
        const t = protectTable({ cells, margins }, P, { geography });
        for (const line of tableLines(cells.length, cells[0]?.length ?? 0, margins)) {
          for (const ref of line) {
            const c = figure(t, ref);
            if (c.value === null) continue;
            const v = truth(cells, ref);
            if (geography === 'national' || v === 0) expect(c.value).toBe(v);
            else {
              expect(c.value % 5).toBe(0);
              expect(Math.abs(c.value - v)).toBeLessThanOrEqual(2);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('exhaustive integer attacker on small tables: every hidden 1–7 count keeps at least two possible values', () => {
    fc.assert(
      fc.property(
        tableArb(3, 3, fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 16 }))),
        marginsArb,
        geoArb,
        (cells, margins, geography) => {
          const t = protectTable({ cells, margins }, P, { geography });
          const grand = cells.flat().reduce((a, b) => a + b, 0);
          const feasible = exactFeasibleValues(t, P, grand + 20);
          for (const [ref, values] of feasible) {
            expect(values.size, `${ref} in ${JSON.stringify(cells)} ${margins} ${geography}`).toBeGreaterThanOrEqual(2);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a stricter policy (minUncertainty 3, suppress 1–9, zeros hidden) holds the same guarantees', () => {
    const strict = resolvePolicy({ suppressTo: 9, minUncertainty: 3, suppressZeros: true });
    fc.assert(
      fc.property(tableArb(5, 5), marginsArb, geoArb, (cells, margins, geography) => {
        const t = protectTable({ cells, margins }, strict, { geography });
        for (const c of allFigures(t)) if (c.value !== null) expect(c.value).toBeGreaterThanOrEqual(10);
        const audit = auditPublishedTable(t, strict);
        expect(audit.exposed).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('figures outside the sensitive range in lines with nothing hidden are published', () => {
    fc.assert(
      fc.property(tableArb(4, 4, fc.integer({ min: 8, max: 100 })), marginsArb, (cells, margins) => {
        const t = protectTable({ cells, margins }, P);
        expect(allFigures(t).every((c) => c.value !== null)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('auditPublishedTable', () => {
  it('finds the exposure in a hand-made unsafe table (one hidden cell in a row)', () => {
    const unsafe: PublishedTable = {
      rowLabels: ['a'],
      columnLabels: ['x', 'y'],
      cells: [
        [
          { value: null, display: '*', status: 'primary-suppressed' },
          { value: 50, display: '50', status: 'shown' },
        ],
      ],
      rowTotals: [{ value: 53, display: '53', status: 'shown' }],
      columnTotals: null,
      grandTotal: null,
      margins: 'rows',
      geography: 'national',
      note: '',
    };
    const audit = auditPublishedTable(unsafe, P);
    expect(audit.exposed).toEqual([{ kind: 'cell', row: 0, column: 0 }]);
    expect(audit.cells[0]?.[0]).toEqual({ lo: 3, hi: 3 });
  });

  it('rounding alone leaves a range: hidden + 10 = 20 (rounded) gives 6 … 7', () => {
    const rounded: PublishedTable = {
      rowLabels: ['a'],
      columnLabels: ['x', 'y'],
      cells: [
        [
          { value: null, display: '*', status: 'primary-suppressed' },
          { value: 10, display: '10', status: 'rounded' },
        ],
      ],
      rowTotals: [{ value: 20, display: '20', status: 'rounded' }],
      columnTotals: null,
      grandTotal: null,
      margins: 'rows',
      geography: 'sub-national',
      note: '',
    };
    const audit = auditPublishedTable(rounded, P);
    expect(audit.cells[0]?.[0]).toEqual({ lo: 6, hi: 7 });
    expect(audit.exposed).toEqual([]);
  });
});
