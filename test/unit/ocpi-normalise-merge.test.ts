import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChargePointStats } from '../../src/domain/chargePointStats';
import { PayloadError } from '../../src/domain/errors';
import { mergeNormalisedFeeds, type FeedContribution } from '../../src/transform/ocpi/mergeFeeds';
import { normaliseFeed } from '../../src/transform/ocpi/normaliseFeed';
import { transformOpenData } from '../../src/transform/ocpi/pipeline';
import { referenceChargePoints } from '../../src/transform/ocpi/reference';
import { serializeJson, type JsonNode } from '../support/jsonText';
import { chunkSizes, junk, location, whitespace } from '../support/ocpiArbitraries';
import { CHARGY_EXPECTED_CSV, recordedBody } from '../support/openDataFixtures';
import type { FeedBodies } from './ocpi-helpers';
import { CollectingWritable, splitBytes } from './transform-helpers';

/** charge_points_UK.csv as written, and the stats. */
interface CsvBytes {
  csv: Buffer;
  stats: ChargePointStats;
}

interface NormalisedFeed {
  data: Buffer;
  stats: ChargePointStats;
}

async function normalise(feed: FeedBodies, sizes: readonly number[] = [4096]): Promise<NormalisedFeed> {
  const output = new CollectingWritable();
  const stats = await normaliseFeed(
    feed.name,
    feed.bodies.map((body) => splitBytes(body, sizes)),
    output,
  );
  return { data: output.bytes, stats };
}

async function merge(
  feeds: { id: string; data: Buffer | string }[],
  sizes: readonly number[] = [4096],
): Promise<CsvBytes & { perFeed: FeedContribution[] }> {
  const output = new CollectingWritable();
  const { stats, perFeed } = await mergeNormalisedFeeds(
    feeds.map(({ id, data }) => ({ id, body: splitBytes(Buffer.from(data), sizes) })),
    output,
  );
  return { csv: output.bytes, stats, perFeed };
}

/** Each feed normalised on its own (ids feed0, feed1, …), then merged. */
async function normaliseAndMerge(feeds: readonly FeedBodies[], sizes?: readonly number[]) {
  const normalised = [];
  for (const feed of feeds) normalised.push(await normalise(feed, sizes));
  const merged = await merge(
    normalised.map(({ data }, index) => ({ id: `feed${index}`, data })),
    sizes,
  );
  return { normalised, merged };
}

/** The one-pass offline transform over every page of every feed, in order. */
async function transformAll(feeds: readonly FeedBodies[], sizes: readonly number[] = [4096]): Promise<CsvBytes> {
  const output = new CollectingWritable();
  const pages = feeds.flatMap((feed) =>
    feed.bodies.map((body) => ({ feedName: feed.name, body: splitBytes(body, sizes) })),
  );
  const stats = await transformOpenData(pages, output);
  return { csv: output.bytes, stats };
}

/** The reference's output as the bytes written (a lone surrogate in a field is written as U+FFFD). */
function referenceBytes(feeds: readonly FeedBodies[]): CsvBytes {
  const { csv, stats } = referenceChargePoints([...feeds]);
  return { csv: Buffer.from(csv, 'utf8'), stats };
}

const text = (value: string): JsonNode & { kind: 'string' } => ({ kind: 'string', value, escapeAll: false });

/**
 * A feed's Locations (some of them not objects), cut into pages, each a bare array
 * or in an OCPI envelope; sometimes a Location again later in the feed (maybe on the
 * same page), and sometimes a page served twice.
 */
const pagedFeed = fc
  .record({
    name: fc.constantFrom('Feed', ' spaced ', '', 'z,"q"'),
    locations: fc.array(fc.oneof({ weight: 8, arbitrary: location }, junk), { maxLength: 8 }),
    repeatedLocation: fc.option(fc.nat()),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
    envelopes: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    repeatedPage: fc.option(fc.nat()),
  })
  .map(({ name, locations, repeatedLocation, cuts, envelopes, repeatedPage }) => {
    const all =
      repeatedLocation === null || locations.length === 0
        ? locations
        : [...locations, locations[repeatedLocation % locations.length]];
    const ends = [...cuts.map((cut) => cut % (all.length + 1)), all.length].sort((a, b) => a - b);
    const pages = ends.map((end, k): JsonNode => {
      const items: JsonNode = { kind: 'array', items: all.slice(k === 0 ? 0 : ends[k - 1], end) };
      return envelopes[k]
        ? {
            kind: 'object',
            entries: [
              [text('data'), items],
              [text('status_code'), { kind: 'raw', text: '1000' }],
            ],
          }
        : items;
    });
    return { name, pages: repeatedPage === null ? pages : [...pages, pages[repeatedPage % pages.length]] };
  });

/** Feeds, the first sometimes served again at the end by another feed. */
const pagedFeeds = fc
  .tuple(fc.array(pagedFeed, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([feeds, repeatFirst]) => (repeatFirst ? [...feeds, { ...feeds[0], name: 'Again' }] : feeds));

describe('normalising each feed, then merging the feeds', () => {
  it('gives the bytes and stats of the one-pass transform and of the reference, however pages and data are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(pagedFeeds, whitespace, chunkSizes, async (generated, spaces, sizes) => {
        const feeds: FeedBodies[] = generated.map((feed) => ({
          name: feed.name,
          bodies: feed.pages.map((page) => Buffer.from(serializeJson(page, spaces), 'utf8')),
        }));
        const reference = referenceBytes(feeds);
        const { normalised, merged } = await normaliseAndMerge(feeds, sizes);

        expect(await transformAll(feeds, sizes)).toEqual(reference);
        expect({ csv: merged.csv, stats: merged.stats }).toEqual(reference);
        // Each feed's own stats are those of the feed transformed alone.
        for (const [index, feed] of feeds.entries()) {
          expect(normalised[index].stats).toEqual(referenceChargePoints([feed]).stats);
        }
        // A feed contributes what adding it to the feeds before it adds to evsesKept.
        const keptUpTo = (count: number) => referenceChargePoints(feeds.slice(0, count)).stats.evsesKept;
        expect(merged.perFeed).toEqual(
          normalised.map(({ stats }, index) => ({
            id: `feed${index}`,
            locations: stats.locationsSeen,
            evsesKept: keptUpTo(index + 1) - keptUpTo(index),
          })),
        );
        expect(merged.perFeed.reduce((sum, feed) => sum + feed.evsesKept, 0)).toBe(merged.stats.evsesKept);
      }),
      { numRuns: 200 },
    );
  });

  it('makes the two recorded feeds with expected outputs, as separate feeds, into the offline transform bytes', async () => {
    const feeds: FeedBodies[] = [
      {
        name: 'char.gy',
        bodies: [recordedBody('chargy/locations_page1.json'), recordedBody('chargy/locations_page2.json')],
      },
      { name: 'GeniePoint', bodies: [recordedBody('geniepoint/locations_page1.json')] },
    ];
    const { normalised, merged } = await normaliseAndMerge(feeds);
    expect({ csv: merged.csv, stats: merged.stats }).toEqual(await transformAll(feeds));
    expect(merged.stats).toMatchObject({ locationsSeen: 9, evsesKept: 24, rows: 20 });
    expect(merged.perFeed).toEqual([
      { id: 'feed0', locations: 4, evsesKept: 4 },
      { id: 'feed1', locations: 5, evsesKept: 20 },
    ]);
    expect((await merge([{ id: 'chargy', data: normalised[0].data }])).csv.toString('utf8')).toBe(CHARGY_EXPECTED_CSV);
  });

  it('credits an EVSE to the first feed that has it: a feed served again contributes nothing', async () => {
    const chargy = [recordedBody('chargy/locations_page1.json'), recordedBody('chargy/locations_page2.json')];
    const since = recordedBody('chargy/locations_since_page1.json');
    const feeds: FeedBodies[] = [
      { name: 'char.gy', bodies: chargy },
      { name: 'char.gy again', bodies: chargy },
      { name: 'char.gy since', bodies: [...chargy, since] },
    ];
    const { normalised, merged } = await normaliseAndMerge(feeds);
    expect({ csv: merged.csv, stats: merged.stats }).toEqual(await transformAll(feeds));
    expect(normalised.map(({ stats }) => stats.evsesKept)).toEqual([4, 4, 6]);
    expect(merged.perFeed).toEqual([
      { id: 'feed0', locations: 4, evsesKept: 4 },
      { id: 'feed1', locations: 4, evsesKept: 0 },
      { id: 'feed2', locations: 6, evsesKept: 2 },
    ]);
    expect(merged.stats).toMatchObject({ evsesKept: 6, duplicatesDropped: 8 });
  });

  it('streams: the merge reads a feed while it is being normalised', async () => {
    const feed = { name: 'GeniePoint', bodies: [recordedBody('geniepoint/locations_page1.json')] };
    const channel = new PassThrough({ highWaterMark: 64 });
    const output = new CollectingWritable();
    const [stats, merged] = await Promise.all([
      normaliseFeed(
        feed.name,
        feed.bodies.map((body) => [body]),
        channel,
      ),
      mergeNormalisedFeeds([{ id: 'geniepoint', body: channel }], output),
    ]);
    expect(merged.stats).toEqual(stats);
    expect(output.bytes).toEqual((await transformAll([feed])).csv);
  });

  it('writes the documented lines: header, groups before use, keys as pages commit, keyless counts, stats', async () => {
    const page = JSON.stringify([
      {
        id: 'L1',
        country_code: 'GB',
        party_id: 'ABC',
        postal_code: 'tw62rq',
        evses: [{ uid: 'E1', last_updated: '2026-10-01' }, { uid: 'E1' }, { status: 'AVAILABLE' }],
      },
    ]);
    const { data, stats } = await normalise({ name: 'Feed', bodies: [Buffer.from(page)] });
    const group = (id: number, counters: string[]) =>
      JSON.stringify({ group: id, row: ['Feed', '', '', 'unknown', 'TW6 2RQ', id === 0 ? '2026-10' : ''], counters });
    expect(data.toString('utf8').split('\n')).toEqual([
      '{"format":"uk-chargers/ocpi-normalised-feed","version":1}',
      group(0, ['postcodeNormalized', 'speedUnknown']),
      '{"key":["GB","ABC","L1","E1"],"group":0}',
      group(1, ['postcodeNormalized', 'speedUnknown', 'monthMissing']),
      '{"keyless":1,"evses":1}',
      JSON.stringify({ stats }),
      '',
    ]);
    expect(stats).toMatchObject({ evsesSeen: 3, duplicatesDropped: 1, evsesKept: 2, rows: 2 });
  });

  it('rejects a bad page with its PayloadError and destroys the output', async () => {
    const output = new CollectingWritable();
    await expect(normaliseFeed('Feed', [[Buffer.from('[{"id":')]], output)).rejects.toThrow(/ends early/);
    expect(output.destroyed).toBe(true);
    expect(output.ended).toBe(false);
  });
});

describe('malformed normalised data', () => {
  const valid = normalise({
    name: 'Feed',
    bodies: [
      Buffer.from(JSON.stringify([{ id: 'L1', evses: [{ uid: 'E1' }, { uid: 'E2', last_updated: '2026-01' }, {}] }])),
    ],
  }).then(({ data }) => data.toString('utf8'));
  const lines = async () => (await valid).split('\n').slice(0, -1);
  const joined = (parts: string[]) => parts.map((line) => `${line}\n`).join('');

  const cases: [string, () => Promise<string>, RegExp][] = [
    ['empty', async () => '', /line 1: the data is empty/],
    ['not this format (a CSV)', async () => 'Operator,ParkingType\nx,y\n', /line 1: not normalised OCPI feed data/],
    ['not this format (other JSON)', async () => '{"format":"other"}\n', /line 1: not normalised OCPI feed data/],
    ['another version', async () => (await valid).replace('"version":1', '"version":2'), /line 1: version 2 of/],
    [
      'truncated: no stats line',
      async () => joined((await lines()).slice(0, -1)),
      /line 6: the data ends after this line without the stats line/,
    ],
    ['truncated inside a line', async () => (await valid).slice(0, -5), /line 7: the data ends inside this line/],
    [
      'a bad JSON line',
      async () => joined((await lines()).map((line, k) => (k === 3 ? line.slice(0, 10) : line))),
      /line 4: not a JSON line/,
    ],
    [
      'a group used before it is defined',
      async () => joined((await lines()).filter((_, k) => k !== 1)),
      /line 2: uses group 0 before it is defined/,
    ],
    [
      'a key of a group never defined',
      async () => joined((await lines()).map((line, k) => (k === 2 ? line.replace('"group":0', '"group":7') : line))),
      /line 3: uses group 7 before it is defined/,
    ],
    [
      'groups defined out of order',
      async () => joined((await lines()).filter((_, k) => k !== 1 && k !== 2)),
      /line 2: defines group 1, but the next group is 0/,
    ],
    [
      'a line after the stats line',
      async () => (await valid) + '{"keyless":0,"evses":1}\n',
      /line 8: a line after the stats line/,
    ],
    [
      'stats that disagree with the lines',
      async () => (await valid).replace('"evsesKept":3', '"evsesKept":4'),
      /line 7: "stats"."evsesKept" is 4, but the lines before it give 3/,
    ],
    [
      'an unknown line',
      async () => joined((await lines()).map((line, k) => (k === 4 ? '{"rows":1}' : line))),
      /line 5: not a line of this format \(fields rows\)/,
    ],
  ];

  it('is the data the cases below break', async () => {
    expect(await lines()).toEqual([
      '{"format":"uk-chargers/ocpi-normalised-feed","version":1}',
      '{"group":0,"row":["Feed","","","unknown","",""],"counters":["postcodeMissing","speedUnknown","monthMissing"]}',
      '{"key":["","","L1","E1"],"group":0}',
      '{"group":1,"row":["Feed","","","unknown","","2026-01"],"counters":["postcodeMissing","speedUnknown"]}',
      '{"key":["","","L1","E2"],"group":1}',
      '{"keyless":0,"evses":1}',
      expect.stringMatching(/^\{"stats":\{.*"evsesKept":3,.*\}\}$/),
    ]);
  });

  it.each(cases)('%s: PayloadError naming the feed and line, nothing written', async (_, data, message) => {
    const output = new CollectingWritable();
    const good = { id: 'good', body: [await valid] };
    const result = mergeNormalisedFeeds([good, { id: 'bad', body: splitBytes(Buffer.from(await data()), 3) }], output);
    await expect(result).rejects.toThrow(PayloadError);
    await expect(result).rejects.toThrow(new RegExp(`^normalised data of feed "bad", ${message.source}`));
    expect(output.bytes.length).toBe(0);
    expect(output.ended).toBe(false);
  });
});
