import { describe, expect, it } from 'vitest';
import type { HostRequestLog } from '../../src/domain/chargePointsRun';
import type { FeedDefinition } from '../../src/domain/feed';
import {
  HOUR_MS,
  advanceClock,
  hostLanes,
  planRequest,
  recordRequest,
  strictestLimits,
} from '../../src/domain/hostBudget';

const T0 = Date.parse('2026-12-03T06:00:00Z');
const fresh: HostRequestLog = { host: 'api.test', sentAt: [], clock: T0 };

/** Sends `count` requests as early as the limits allow, each taking `durationMs`; returns the send times. */
function sendAsAllowed(limits: Parameters<typeof planRequest>[1], count: number, durationMs = 100): number[] {
  let log = fresh;
  const sent: number[] = [];
  for (let i = 0; i < count; i++) {
    const { at } = planRequest(log, limits);
    log = advanceClock(log, at);
    sent.push(at);
    log = recordRequest(log, at, at + durationMs, limits);
  }
  return sent;
}

describe('planRequest', () => {
  it('lets the first request go at once', () => {
    expect(planRequest(fresh, { minIntervalMs: 1_000, maxRequestsPerHour: 3 })).toEqual({ at: T0 });
  });

  it('keeps the gap from the latest request’s start, and says so', () => {
    const log = recordRequest(fresh, T0, T0 + 200, { minIntervalMs: 1_000 });
    expect(planRequest(log, { minIntervalMs: 1_000 })).toEqual({ at: T0 + 1_000, limitedBy: 'host gap' });
    // A slow request already covers the gap.
    const slow = recordRequest(fresh, T0, T0 + 5_000, { minIntervalMs: 1_000 });
    expect(planRequest(slow, { minIntervalMs: 1_000 })).toEqual({ at: T0 + 5_000 });
  });

  it('holds the request after a spent budget until the oldest of the hour leaves the window', () => {
    const limits = { minIntervalMs: 1_000, maxRequestsPerHour: 3 };
    const sent = sendAsAllowed(limits, 7);
    expect(sent.slice(0, 3)).toEqual([T0, T0 + 1_000, T0 + 2_000]);
    expect(sent.slice(3, 6)).toEqual([T0 + HOUR_MS, T0 + 1_000 + HOUR_MS, T0 + 2_000 + HOUR_MS]);
    expect(sent[6]).toBe(T0 + 2 * HOUR_MS);
  });

  it('never lets more than the budget start within any hour, nor two starts closer than the gap', () => {
    for (const limits of [
      { minIntervalMs: 0, maxRequestsPerHour: 1 },
      { minIntervalMs: 250, maxRequestsPerHour: 5 },
      { minIntervalMs: 20 * 60_000, maxRequestsPerHour: 30 },
    ]) {
      const sent = sendAsAllowed(limits, 40, 1_500);
      for (let i = 1; i < sent.length; i++) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(limits.minIntervalMs);
      for (let i = limits.maxRequestsPerHour; i < sent.length; i++) {
        expect(sent[i] - sent[i - limits.maxRequestsPerHour]).toBeGreaterThanOrEqual(HOUR_MS);
      }
    }
  });

  it('names the budget when it, not the gap, holds the request back', () => {
    let log = fresh;
    log = recordRequest(log, T0, T0 + 10, { minIntervalMs: 1_000, maxRequestsPerHour: 1 });
    expect(planRequest(log, { minIntervalMs: 1_000, maxRequestsPerHour: 1 })).toEqual({
      at: T0 + HOUR_MS,
      limitedBy: 'hourly budget',
    });
  });
});

describe('recordRequest', () => {
  it('keeps only the sends the limits can still need, in order, and moves the clock forward only', () => {
    const limits = { minIntervalMs: 1_000, maxRequestsPerHour: 2 };
    let log = recordRequest(fresh, T0 + 3_000, T0 + 3_500, limits);
    log = recordRequest(log, T0 + 1_000, T0 + 1_200, limits);
    log = recordRequest(log, T0 + 2_000, T0 + 2_100, limits);
    expect(log.sentAt).toEqual([T0 + 2_000, T0 + 3_000]);
    expect(log.clock).toBe(T0 + 3_500);
    expect(recordRequest(fresh, T0 + 5, T0 + 6, { minIntervalMs: 1 }).sentAt).toEqual([T0 + 5]);
    expect(advanceClock(log, T0).clock).toBe(T0 + 3_500);
  });
});

describe('hostLanes', () => {
  const feed = (id: string, url: string, limits: Partial<FeedDefinition> = {}): FeedDefinition => ({
    id,
    name: id,
    url,
    enabled: true,
    paging: 'auto',
    minIntervalMs: 1_000,
    ...limits,
  });

  it('groups feeds by host in catalogue order, with the strictest limits of each host', () => {
    const lanes = hostLanes([
      feed('evolt', 'https://info.smartcharging.uk/public_feed/locations/3666'),
      feed('bp', 'https://open-chargepoints.com/api/ocpi/cpo/2.2.1/locations', { maxRequestsPerHour: 30 }),
      feed('pogo', 'https://info.smartcharging.uk/public_feed/locations/4009', { minIntervalMs: 2_000 }),
      feed('shell', 'https://open-chargepoints.com/api/ocpi/cpo/2.2.1/locations', { maxRequestsPerHour: 20 }),
    ]);
    expect(lanes).toEqual([
      { host: 'info.smartcharging.uk', feedIds: ['evolt', 'pogo'], limits: { minIntervalMs: 2_000 } },
      {
        host: 'open-chargepoints.com',
        feedIds: ['bp', 'shell'],
        limits: { minIntervalMs: 1_000, maxRequestsPerHour: 20 },
      },
    ]);
  });

  it('gives the budget the configured window, which planRequest counts in', () => {
    const [lane] = hostLanes([feed('a', 'http://127.0.0.1:8001/a', { maxRequestsPerHour: 3 })], 10_000);
    expect(lane.limits).toEqual({ minIntervalMs: 1_000, maxRequestsPerHour: 3, budgetWindowMs: 10_000 });
    let log = fresh;
    for (const at of [T0, T0 + 1_000, T0 + 2_000]) log = recordRequest(log, at, at + 10, lane.limits);
    expect(planRequest(log, lane.limits)).toEqual({ at: T0 + 10_000, limitedBy: 'hourly budget' });
  });

  it('treats another port as another host', () => {
    expect(hostLanes([feed('a', 'http://127.0.0.1:8001/a'), feed('b', 'http://127.0.0.1:8002/b')])).toHaveLength(2);
    expect(strictestLimits([{ minIntervalMs: 0 }])).toEqual({ minIntervalMs: 0 });
  });
});
