import { describe, expect, it } from 'vitest';
import { DATASET, tableForName } from './spec';

describe('the spec', () => {
  it('lists files in dependency order: a file only references files before it', () => {
    DATASET.forEach((spec, i) => {
      for (const c of spec.columns) {
        if (c.references) expect(DATASET.findIndex((s) => s.table === c.references)).toBeLessThan(i);
      }
    });
  });

  it('has key columns that are required, and no column twice', () => {
    for (const spec of DATASET) {
      for (const k of spec.key) expect(spec.columns.find((c) => c.name === k)?.required).toBe(true);
      expect(new Set(spec.columns.map((c) => c.name)).size).toBe(spec.columns.length);
    }
  });

  it('maps file and sheet names to tables', () => {
    expect(tableForName('People.CSV')).toBe('people');
    expect(tableForName('drug_tests')).toBe('drug_tests');
    expect(tableForName('clients.csv')).toBeUndefined();
  });
});

