import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExpectedAggregate } from '../../bench/generator/expectedAggregate';
import { registryText, type PayloadOptions } from '../../bench/generator/syntheticRegistry';
import { transformPayload } from '../../src/transform/pipeline';
import { referenceTransform } from '../../src/transform/reference';
import { CollectingWritable } from './transform-helpers';

const CASES: PayloadOptions[] = [
  { devices: 3_000, seed: 1, edgeRate: 0.02, schemePosition: 'before' },
  { devices: 3_000, seed: 2, edgeRate: 0.3, schemePosition: 'after' },
  { devices: 1_500, seed: 3, edgeRate: 1, schemePosition: 'before' },
  { devices: 0, seed: 4, edgeRate: 0.02, schemePosition: 'after' },
];

describe('generated payloads through the transform', () => {
  it.each(CASES)(
    'streaming transform = referenceTransform = the generator’s expected aggregate (%o)',
    async (options) => {
      const expected = new ExpectedAggregate();
      const pieces = [...registryText(options, (device) => expected.add(device.expected))];
      const text = pieces.join('');

      // Chunks ending at every record edge, then chunks of an odd size ending anywhere inside records.
      const output = new CollectingWritable();
      const stats = await transformPayload(Readable.from(pieces.map((piece) => Buffer.from(piece))), output);
      const oddChunks = new CollectingWritable();
      await transformPayload(Readable.from(splitEvery(Buffer.from(text), 4093)), oddChunks);

      const reference = referenceTransform(text);
      expect(output.bytes.toString('utf8')).toBe(reference.csv);
      expect(oddChunks.bytes.toString('utf8')).toBe(reference.csv);
      expect(stats).toEqual(reference.stats);
      expect(reference.csv).toBe(expected.csv());
      expect(reference.stats).toEqual(expected.stats());
    },
  );
});

function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) pieces.push(bytes.subarray(start, start + size));
  return pieces;
}
