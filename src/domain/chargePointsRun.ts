import type { ChargePointStats } from './chargePointStats';
import type { FeedDefinition, LocationArrayPath } from './feed';
import type { HostLimits } from './hostBudget';

/** Input of the `chargePointsEtl` workflow; none of it may hold a secret. */
export interface ChargePointsEtlInput {
  /** Catalogue ids to fetch; every enabled feed when absent. Unknown ids fail the run at once. */
  feeds?: string[];
  /** `s3://bucket/prefix/` or `file:DIR`; defaults to the worker's DESTINATION. */
  destination?: string;
  /** Publish even if the publish guard objects. */
  force?: boolean;
}

/**
 * What became of a feed in a run:
 * - `ok`: fetched and normalised now;
 * - `skipped`: its secret's environment variable is not set on the worker;
 * - `disabled`: `enabled: false` in the catalogue;
 * - `stale`: failed now; its last good snapshot from an earlier run is used;
 * - `failed`: failed now, and no snapshot to fall back on;
 * - `expired`: failed now, and its snapshot is older than FEED_MAX_STALE, so not used.
 */
export type FeedStatus = 'ok' | 'skipped' | 'disabled' | 'stale' | 'failed' | 'expired';
export const FEED_STATUSES: readonly FeedStatus[] = ['ok', 'skipped', 'disabled', 'stale', 'failed', 'expired'];

/** The statuses whose normalised data goes into the CSV. */
export function contributes(status: FeedStatus): boolean {
  return status === 'ok' || status === 'stale';
}

/**
 * Requests sent to one host, shared by the feeds on it: the feeds of a host run one
 * after another and hand this on, so the per-host gap and hourly budget hold across
 * them. Times are epoch milliseconds as the worker's clock gave them (see planRequest).
 */
export interface HostRequestLog {
  host: string;
  /** Send times, ascending; only those the budget and the gap still need. */
  sentAt: number[];
  /** The latest time known to have passed (a request's end, a timer's firing). */
  clock: number;
}

/** The feed's normalised data, staged for the merge (claim-check). */
export interface NormalisedFeedRef {
  key: string;
  bytes: number;
  sha256: string;
}

/** A feed's last good normalised data, kept in the destination for runs in which the feed fails. */
export interface FeedSnapshotInfo {
  /** When its pages were fetched (ISO). */
  fetchedAt: string;
  /** The run that fetched it. */
  runId: string;
  pages: number;
  bytes: number;
  locations: number;
  evsesKept: number;
  normalised: NormalisedFeedRef;
}

/** Input of the `feedEtl` child workflow: one feed of a charge-points run. */
export interface FeedEtlInput {
  feed: FeedDefinition;
  destination: string;
  /** The parent run's staging prefix; the feed's pages and normalised data go under `<stagingPrefix>feeds/<id>/`. */
  stagingPrefix: string;
  /** The feed's host's requests so far in this run. */
  hostLog: HostRequestLog;
  /** The host's limits: the strictest of its feeds' (see strictestLimits). */
  hostLimits: HostLimits;
  /** Set when a long feed continues as new: where fetching stands. */
  resume?: FeedFetchState;
}

/** Where fetching a feed stands; small, carried across continue-as-new. */
export interface FeedFetchState {
  pages: number;
  bytes: number;
  items: number;
  /** The page to fetch next; absent before the first page. */
  nextUrl?: string;
  /** Digests of the latest page URLs (see PageLoopGuard): a bounded window. */
  recentUrlDigests: string[];
  shapes: LocationArrayPath[];
  /** When the first page was requested: ISO for the snapshot, epoch ms for the duration. */
  firstFetchedAt?: string;
  startedAt?: number;
}

/** What the `feedEtl` child returns to the parent: small, no data. */
export interface FeedResult {
  id: string;
  name: string;
  status: FeedStatus;
  /** Why it is not `ok`: the error (redacted), the missing variable, the snapshot's age. */
  reason?: string;
  pages: number;
  bytes: number;
  /** Location array elements fetched. */
  items: number;
  /** Where each page's Location array was (distinct, in order met). */
  shapes: LocationArrayPath[];
  /** When the data used was fetched: now for `ok`, the snapshot's time for `stale`. */
  fetchedAt?: string;
  durationMs: number;
  /** Set for `ok` and `stale`: what the merge reads. */
  normalised?: NormalisedFeedRef;
  /** The feed's own counts (before dedupe against other feeds). */
  locations?: number;
  evsesKept?: number;
  hostLog: HostRequestLog;
}

/** One feed's line of `charge_points_UK.feeds.json` and of the run's report. */
export interface FeedHealth {
  id: string;
  name: string;
  status: FeedStatus;
  /** Locations of this feed's data (its locationsSeen), and its EVSEs kept in the CSV after dedupe against earlier feeds. */
  locations: number;
  evsesKept: number;
  pages: number;
  bytes: number;
  fetchedAt?: string;
  durationMs: number;
  /** The last error, redacted; or why the feed was skipped, disabled or expired. */
  lastError?: string;
}

/** The stage of a charge-points run, as its `progress` query tells it. */
export type ChargePointsStage = 'starting' | 'feeds' | 'merge' | 'upload' | 'done' | 'failed';

/** What the `chargePointsProgress` query returns. */
export interface ChargePointsProgress {
  stage: ChargePointsStage;
  /** Feeds with an outcome so far, by status. */
  feeds: Partial<Record<FeedStatus, number>>;
  /** Feeds whose child is running. */
  running: string[];
  /** Feeds of the run. */
  total: number;
  failedStage?: ChargePointsStage;
  lastFailure?: string;
}

/** The result of `chargePointsEtl`. */
export interface ChargePointsReport {
  dataset: 'charge_points_UK';
  workflowId: string;
  runId: string;
  destination: string;
  stats: ChargePointStats;
  csv: { uri: string; sha256: string; bytes: number };
  manifestUri: string;
  feedsUri: string;
  stableUri: string;
  published: boolean;
  unchanged: boolean;
  publishReason: string;
  feeds: FeedHealth[];
  durationsMs: { feedsMs: number; mergeMs: number; uploadMs: number };
}

/** What a `feedEtl` child is doing, as its `feedProgress` query tells it. */
export interface FeedProgress {
  stage: 'fetching' | 'waiting' | 'normalising' | 'falling back' | 'done';
  /** Pages fetched so far, and the one being fetched or waited for. */
  pages: number;
  items: number;
  bytes: number;
  /** The current page's attempt. */
  attempt: number;
  /** While waiting: until when (ISO, the worker's clock) and why. */
  waitingUntil?: string;
  waitingFor?: 'host gap' | 'hourly budget' | 'Retry-After' | 'backoff';
  lastFailure?: string;
}
