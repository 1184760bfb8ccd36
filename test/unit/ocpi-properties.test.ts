import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadError, TruncatedPayloadError } from '../../src/domain/errors';
import { referenceChargePoints } from '../../src/transform/ocpi/reference';
import { serializeJson } from '../support/jsonText';
import { BOM, body, chunkSizes, feeds, whitespace } from '../support/ocpiArbitraries';
import { transformFeeds, type FeedBodies, type OpenDataOutput } from './ocpi-helpers';

type Outcome = { result: OpenDataOutput } | { error: 'PayloadError' };

function outcomeOf(run: () => OpenDataOutput): Outcome {
  try {
    return { result: run() };
  } catch (error) {
    // The reference cannot tell a truncated body from another invalid one.
    if (error instanceof PayloadError || error instanceof TruncatedPayloadError) return { error: 'PayloadError' };
    throw error;
  }
}

describe('streaming open-data transform against the JSON.parse reference', () => {
  it('produces byte-identical CSV and equal stats for generated feeds, however their bodies are chunked', () => {
    fc.assert(
      fc.property(feeds, whitespace, fc.boolean(), chunkSizes, (generated, spaces, withBom, sizes) => {
        const bodies: FeedBodies[] = generated.map((feed) => ({
          name: feed.name,
          bodies: feed.bodies.map((node) => {
            const json = Buffer.from(serializeJson(node, spaces), 'utf8');
            return withBom ? Buffer.concat([BOM, json]) : json;
          }),
        }));
        expect(outcomeOf(() => transformFeeds(bodies, sizes))).toEqual(outcomeOf(() => referenceChargePoints(bodies)));
      }),
      { numRuns: 400 },
    );
  });

  it('fails exactly when JSON.parse fails after a truncated, corrupted, deleted or inserted byte', () => {
    const interestingBytes = [...'"\\{}[]:,. \n0-1eEtfnu/N']
      .map((char) => char.charCodeAt(0))
      .concat([0x00, 0x1f, 0x80, 0xc3, 0xef, 0xff]);
    const mutation = fc.record({
      kind: fc.constantFrom('truncate', 'replace', 'delete', 'insert'),
      at: fc.nat(),
      byte: fc.oneof(fc.constantFrom(...interestingBytes), fc.integer({ min: 0, max: 255 })),
    });
    fc.assert(
      fc.property(body, whitespace, mutation, chunkSizes, (node, spaces, change, sizes) => {
        const valid = Buffer.from(serializeJson(node, spaces), 'utf8');
        const at = change.at % (valid.length + 1);
        const before = valid.subarray(0, at);
        const mutated =
          change.kind === 'truncate'
            ? before
            : Buffer.concat([
                before,
                change.kind === 'delete' ? Buffer.alloc(0) : Buffer.from([change.byte]),
                valid.subarray(change.kind === 'insert' ? at : at + 1),
              ]);
        const feed = [{ name: 'Feed', bodies: [mutated] }];
        expect(outcomeOf(() => transformFeeds(feed, sizes))).toEqual(outcomeOf(() => referenceChargePoints(feed)));
      }),
      { numRuns: 600 },
    );
  });
});
