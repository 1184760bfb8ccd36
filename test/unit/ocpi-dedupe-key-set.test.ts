import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupeKeySet } from '../../src/transform/ocpi/dedupeKeySet';

describe('DedupeKeySet', () => {
  it('answers as a Set of the key texts would, through many growths', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 3_000 }), (keys) => {
        const set = new DedupeKeySet();
        const reference = new Set<string>();
        for (const key of keys) {
          expect(set.has(key)).toBe(reference.has(key));
          expect(set.add(key)).toBe(!reference.has(key));
          reference.add(key);
        }
        expect(set.size).toBe(reference.size);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps 100,000 distinct keys apart, and knows each', () => {
    const set = new DedupeKeySet();
    const key = (i: number) => JSON.stringify(['GB', 'ABC', `LOC-${i}`, `GB*ABC*E${i}`]);
    for (let i = 0; i < 100_000; i++) expect(set.add(key(i))).toBe(true);
    expect(set.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) expect(set.has(key(i))).toBe(true);
    expect(set.has(key(100_000))).toBe(false);
    expect(set.add(key(42))).toBe(false);
  });
});
