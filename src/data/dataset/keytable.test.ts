import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from './keytable';

describe('KeyTable', () => {
  it('behaves like a Map for any keys (including non-Latin characters and pairs)', () => {
    const key = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('', 'P1', 'P1 ', 'é', '€', 'ÿ', '\u00ff\u0100'));
    const op = fc.tuple(fc.boolean(), key, fc.option(key, { nil: undefined }), fc.integer({ min: -1000, max: 1000 }).filter((v) => v !== 0));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.boolean(), (ops, pairs) => {
        const table = new KeyTable(4);
        const model = new Map<string, number>();
        for (const [write, a, b0, value] of ops) {
          const b = pairs ? (b0 ?? '') : undefined;
          const k = b === undefined ? a : `${a}\u0001${b}`;
          if (write) {
            table.set(value, a, b);
            model.set(k, value);
          }
          expect(table.get(a, b)).toBe(model.get(k) ?? 0);
          expect(table.has(a, b)).toBe(model.has(k));
        }
        expect(table.size).toBe(model.size);
      }),
      { numRuns: 100 },
    );
  });

  it('holds a million keys', () => {
    const table = new KeyTable();
    for (let i = 1; i <= 1_000_000; i++) table.set(i, `P${i}`);
    expect(table.size).toBe(1_000_000);
    expect(table.get('P1')).toBe(1);
    expect(table.get('P765432')).toBe(765432);
    expect(table.get('P0')).toBe(0);
    expect(table.get('P1000001')).toBe(0);
  });
});
