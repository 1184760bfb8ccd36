import type { HostRequestLog } from './chargePointsRun';
import type { FeedDefinition } from './feed';

/** A host's rate limits, from the catalogue entry of the feed being fetched. */
export interface HostLimits {
  /** Least gap between the starts of two requests, in ms. */
  minIntervalMs: number;
  /** Most requests started in any hour. */
  maxRequestsPerHour?: number;
  /** The "hour" of the budget, in ms: HOUR_MS but in tests (FEED_BUDGET_WINDOW). */
  budgetWindowMs?: number;
}

export const HOUR_MS = 3_600_000;

/** When the next request to a host may start, and which limit holds it back (none: at once). */
export interface PlannedRequest {
  at: number;
  limitedBy?: 'host gap' | 'hourly budget';
}

/**
 * When the next request to the host may start: at least `minIntervalMs` after the
 * latest request, and, with a budget, an hour after the request that would otherwise
 * be the budget's (n+1)-th within an hour. Never before the log's clock. Pure and
 * workflow-safe: the workflow sleeps until then on a durable timer.
 */
export function planRequest(log: HostRequestLog, limits: HostLimits): PlannedRequest {
  let planned: PlannedRequest = { at: log.clock };
  const latest = log.sentAt.at(-1);
  if (latest !== undefined && latest + limits.minIntervalMs > planned.at) {
    planned = { at: latest + limits.minIntervalMs, limitedBy: 'host gap' };
  }
  const budget = limits.maxRequestsPerHour;
  if (budget !== undefined && log.sentAt.length >= budget) {
    // The request `budget` places back must have left the hour window.
    const windowEnd = log.sentAt[log.sentAt.length - budget] + (limits.budgetWindowMs ?? HOUR_MS);
    if (windowEnd > planned.at) planned = { at: windowEnd, limitedBy: 'hourly budget' };
  }
  return planned;
}

/**
 * The log after a request started at `sentAt`, with the clock moved to `seenAt`
 * (a time known to have passed, such as the request's end). Keeps only what
 * planRequest can still need: the latest send, and with a budget the latest
 * `budget` sends; older ones constrain nothing.
 */
export function recordRequest(log: HostRequestLog, sentAt: number, seenAt: number, limits: HostLimits): HostRequestLog {
  const sends = [...log.sentAt, sentAt].sort((a, b) => a - b);
  const keep = Math.max(1, limits.maxRequestsPerHour ?? 1);
  return { host: log.host, sentAt: sends.slice(-keep), clock: Math.max(log.clock, sentAt, seenAt) };
}

/** The log once time `at` is known to have passed (a timer fired). */
export function advanceClock(log: HostRequestLog, at: number): HostRequestLog {
  return at > log.clock ? { ...log, clock: at } : log;
}

/**
 * Limits of a host shared by feeds with different settings: the strictest of each,
 * so a host's budget holds whichever of its feeds asks.
 */
export function strictestLimits(limits: readonly HostLimits[]): HostLimits {
  const budgets = limits.flatMap((limit) => (limit.maxRequestsPerHour === undefined ? [] : [limit.maxRequestsPerHour]));
  return {
    minIntervalMs: Math.max(0, ...limits.map((limit) => limit.minIntervalMs)),
    ...(budgets.length > 0 ? { maxRequestsPerHour: Math.min(...budgets) } : {}),
  };
}

/** The enabled feeds of one host, fetched one after another so they share its limits. */
export interface HostLane {
  host: string;
  /** In catalogue order. */
  feedIds: string[];
  limits: HostLimits;
}

/**
 * Groups feeds by their URL's host (with port), in catalogue order of each host's
 * first feed; `budgetWindowMs` is the period their hourly budgets count in.
 */
export function hostLanes(feeds: readonly FeedDefinition[], budgetWindowMs = HOUR_MS): HostLane[] {
  const lanes = new Map<string, FeedDefinition[]>();
  for (const feed of feeds) {
    const host = new URL(feed.url).host;
    lanes.set(host, [...(lanes.get(host) ?? []), feed]);
  }
  return [...lanes].map(([host, members]) => ({
    host,
    feedIds: members.map((feed) => feed.id),
    limits: { ...strictestLimits(members), ...(budgetWindowMs === HOUR_MS ? {} : { budgetWindowMs }) },
  }));
}
