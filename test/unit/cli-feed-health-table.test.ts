import { describe, expect, it } from 'vitest';
import { chargePointsProgressLine } from '../../src/cli/chargePointsProgress';
import { FEED_HEALTH_HEADER, formatFeedHealthTable, LAST_ERROR_WIDTH, oneLine } from '../../src/cli/feedHealthTable';
import type { FeedHealth } from '../../src/domain/chargePointsRun';
import { summariseFeeds } from '../../src/cli/feedsSummary';

const feeds: FeedHealth[] = [
  {
    id: 'chargy',
    name: 'char.gy',
    status: 'ok',
    locations: 4,
    evsesKept: 4,
    pages: 2,
    bytes: 5_300,
    fetchedAt: '2026-12-03T08:00:01.250Z',
    durationMs: 1_234,
  },
  {
    id: 'geniepoint',
    name: 'GeniePoint',
    status: 'stale',
    locations: 12,
    evsesKept: 30,
    pages: 1,
    bytes: 900,
    fetchedAt: '2026-12-01T06:00:00Z',
    durationMs: 20_000,
    lastError: 'GET https://opendata.geniepoint.co.uk/locations answered 503\nService Unavailable',
  },
  {
    id: 'jolt',
    name: 'Jolt',
    status: 'skipped',
    locations: 0,
    evsesKept: 0,
    pages: 0,
    bytes: 0,
    durationMs: 0,
    lastError: 'JOLT_API_KEY is not set on the worker',
  },
];

describe('formatFeedHealthTable', () => {
  it('has one line per feed in the order given, under a header, columns aligned', () => {
    const lines = formatFeedHealthTable(feeds).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].split(/\s{2,}/)).toEqual(FEED_HEALTH_HEADER);
    expect(lines[1].split(/\s{2,}/)).toEqual([
      'chargy',
      'ok',
      '4',
      '4',
      '2',
      '5.2 KiB',
      '2026-12-03T08:00:01Z',
      '1.2s',
      '-',
    ]);
    expect(lines[2].split(/\s{2,}/)).toEqual([
      'geniepoint',
      'stale',
      '12',
      '30',
      '1',
      '900 B',
      '2026-12-01T06:00:00Z',
      '20.0s',
      'GET https://opendata.geniepoint.co.uk/locations answered 503 Service Un…', // 71 characters and the ellipsis
    ]);
    expect(lines[3].split(/\s{2,}/)).toEqual([
      'jolt',
      'skipped',
      '0',
      '0',
      '0',
      '0 B',
      '-',
      '0.0s',
      'JOLT_API_KEY is not set on the worker',
    ]);
    const statusColumn = lines[0].indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line[statusColumn - 1]).toBe(' ');
    expect(lines.map((line) => line.indexOf(line.split(/\s{2,}/)[1]))).toEqual(Array(4).fill(statusColumn));
  });

  it('says so when there are no feeds', () => {
    expect(formatFeedHealthTable([])).toBe('no feeds');
  });
});

describe('oneLine', () => {
  it('keeps short text, flattens whitespace and cuts long text with an ellipsis at the width', () => {
    expect(oneLine('  short\n\ttext ', 20)).toBe('short text');
    const long = 'x'.repeat(LAST_ERROR_WIDTH + 10);
    expect(oneLine(long, LAST_ERROR_WIDTH)).toBe(`${'x'.repeat(LAST_ERROR_WIDTH - 1)}…`);
    expect(oneLine('x'.repeat(LAST_ERROR_WIDTH), LAST_ERROR_WIDTH)).toBe('x'.repeat(LAST_ERROR_WIDTH));
  });
});

describe('summariseFeeds', () => {
  it('counts feeds per status in the statuses order, leaving out the absent ones', () => {
    expect(summariseFeeds([{ status: 'failed' }, { status: 'ok' }, { status: 'ok' }, { status: 'stale' }])).toEqual({
      ok: 2,
      stale: 1,
      failed: 1,
    });
    expect(Object.keys(summariseFeeds([{ status: 'failed' }, { status: 'ok' }]))).toEqual(['ok', 'failed']);
  });
});

describe('chargePointsProgressLine', () => {
  it('gives the stage, feeds done per status and the running feeds', () => {
    expect(
      chargePointsProgressLine({ stage: 'feeds', feeds: { ok: 2, stale: 1 }, running: ['jolt', 'mer_uk'], total: 6 }),
    ).toBe('stage feeds · feeds 3 of 6 done (2 ok, 1 stale) · running jolt, mer_uk');
  });

  it('names four running feeds and counts the rest; a failed run says where and why', () => {
    expect(
      chargePointsProgressLine({ stage: 'starting', feeds: {}, running: ['a', 'b', 'c', 'd', 'e', 'f'], total: 6 }),
    ).toBe('stage starting · feeds 0 of 6 done · running a, b, c, d and 2 more');
    expect(
      chargePointsProgressLine({
        stage: 'failed',
        failedStage: 'merge',
        feeds: { failed: 2 },
        running: [],
        total: 2,
        lastFailure: 'no feed contributed',
      }),
    ).toBe('stage failed in merge · feeds 2 of 2 done (2 failed) · last failure: no feed contributed');
  });
});
