import {
  ApplicationFailure,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChargePointsActivities } from '../activities/chargePoints';
import type { FeedPlan } from '../activities/chargePoints/planFeeds';
import {
  contributes,
  type ChargePointsEtlInput,
  type ChargePointsProgress,
  type ChargePointsReport,
  type ChargePointsStage,
  type FeedHealth,
  type FeedResult,
  type HostRequestLog,
} from '../domain/chargePointsRun';
import { ERROR_CODES } from '../domain/errors';
import type { FeedDefinition } from '../domain/feed';
import type { HostLane } from '../domain/hostBudget';
import { inputCredentialsProblem } from '../domain/runReport';
import { announceChargePointsRun, recordChargePointsOutcome } from '../visibility/recordRun';
import { chargePointsProgressQuery, FEED_ETL_WORKFLOW } from './definitions';
import { failureMessage } from './failedAttempt';
import type { feedEtl } from './feedEtl';

const { planFeeds } = proxyActivities<ChargePointsActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { mergeFeeds } = proxyActivities<ChargePointsActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

const { publishChargePoints } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  // Storage blips are waited out; bad credentials or a missing bucket fail at once.
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Publishes charge_points_UK.csv from every operator's open-data feed: one
 * `feedEtl` child per enabled feed (at most the worker's FEEDS_MAX_CONCURRENCY at
 * once; the feeds of one host one after another, handing on the host's request
 * log), then merges the feeds' normalised data in catalogue order and publishes
 * it with the publish guard. A feed that fails never sinks the run: its last
 * good snapshot stands in, and the feed health says so. Only references and
 * counters pass through here.
 */
export async function chargePointsEtl(input: ChargePointsEtlInput = {}): Promise<ChargePointsReport> {
  const info = workflowInfo();
  const progress: ChargePointsProgress = { stage: 'starting', feeds: {}, running: [], total: 0 };
  setHandler(chargePointsProgressQuery, () => progress);
  const enter = (stage: ChargePointsStage): void => {
    progress.stage = stage;
  };

  try {
    const credentialsProblem = inputCredentialsProblem({ destination: input.destination });
    if (credentialsProblem) throw ApplicationFailure.nonRetryable(credentialsProblem, ERROR_CODES.invalidInput);
    const visibility = await announceChargePointsRun();
    const plan = await planFeeds({ feeds: input.feeds, destination: input.destination });
    progress.total = plan.feeds.length;

    enter('feeds');
    const results = await runFeeds(plan, info.workflowId, progress);
    const feedsMs = Math.max(0, ...[...results.values()].map((result) => result.hostLog.clock - plan.plannedAt));
    const contributing = plan.feeds
      .map((feed) => results.get(feed.id)!)
      .filter((result) => contributes(result.status) && result.normalised !== undefined);
    if (contributing.length === 0) {
      throw ApplicationFailure.nonRetryable(
        `no feed has data to contribute, so nothing was published: ${plan.feeds
          .map((feed) => describeOutcome(results.get(feed.id)!))
          .join('; ')}`,
        ERROR_CODES.noFeedContributed,
      );
    }

    enter('merge');
    const merged = await mergeFeeds({
      destination: plan.destination,
      stagingPrefix: plan.stagingPrefix,
      feeds: contributing.map((result) => ({ id: result.id, normalised: result.normalised! })),
    });
    const contributions = new Map(merged.perFeed.map((feed) => [feed.id, feed]));
    const feeds: FeedHealth[] = plan.feeds.map((feed) => health(results.get(feed.id)!, contributions.get(feed.id)));

    enter('upload');
    const published = await publishChargePoints({
      destination: plan.destination,
      csvKey: merged.csvKey,
      csvSha256: merged.sha256,
      csvBytes: merged.bytes,
      stats: merged.stats,
      feeds,
      // The server's start time orders overlapping runs as they were started.
      runStartedAt: info.startTime.toISOString(),
      force: input.force ?? false,
    });
    enter('done');

    const report: ChargePointsReport = {
      dataset: 'charge_points_UK',
      workflowId: info.workflowId,
      runId: info.runId,
      destination: plan.destination,
      stats: merged.stats,
      csv: { uri: published.historyCsvUri, sha256: merged.sha256, bytes: merged.bytes },
      manifestUri: published.manifestUri,
      feedsUri: published.feedsUri,
      stableUri: published.stableUri,
      published: published.published,
      unchanged: published.unchanged,
      publishReason: published.reason,
      feeds,
      durationsMs: { feedsMs, mergeMs: merged.durationMs, uploadMs: published.durationMs },
    };
    recordChargePointsOutcome(visibility, report);
    return report;
  } catch (error) {
    progress.failedStage = progress.stage;
    progress.stage = 'failed';
    progress.lastFailure = failureMessage(error);
    throw error;
  }
}

/**
 * Runs the children: up to `plan.maxConcurrency` at once, one per host at a time,
 * starting in catalogue order. Disabled feeds get their outcome without a child.
 */
async function runFeeds(
  plan: FeedPlan,
  workflowId: string,
  progress: ChargePointsProgress,
): Promise<Map<string, FeedResult>> {
  const byId = new Map(plan.feeds.map((feed) => [feed.id, feed]));
  const results = new Map<string, FeedResult>();
  const settle = (result: FeedResult): void => {
    results.set(result.id, result);
    progress.feeds[result.status] = (progress.feeds[result.status] ?? 0) + 1;
  };
  for (const feed of plan.feeds) if (!feed.enabled) settle(disabled(feed, plan.plannedAt));

  const queues = new Map(plan.lanes.map((lane) => [lane.host, [...lane.feedIds]]));
  const hostLogs = new Map<string, HostRequestLog>(
    plan.lanes.map((lane) => [lane.host, { host: lane.host, sentAt: [], clock: plan.plannedAt }]),
  );
  const running = new Map<string, Promise<{ lane: HostLane; result: FeedResult }>>();
  for (;;) {
    for (const lane of plan.lanes) {
      const queue = queues.get(lane.host)!;
      if (running.size >= plan.maxConcurrency) break;
      if (running.has(lane.host) || queue.length === 0) continue;
      const feed = byId.get(queue.shift()!)!;
      running.set(lane.host, runFeed(plan, workflowId, feed, lane, hostLogs.get(lane.host)!));
      progress.running = [...progress.running, feed.id];
    }
    if (running.size === 0) return results;
    const { lane, result } = await Promise.race(running.values());
    running.delete(lane.host);
    hostLogs.set(lane.host, result.hostLog);
    progress.running = progress.running.filter((id) => id !== result.id);
    settle(result);
  }
}

/** One feed's child; a child that fails (a bug, a termination) is reported as the feed failing. */
async function runFeed(
  plan: FeedPlan,
  workflowId: string,
  feed: FeedDefinition,
  lane: HostLane,
  hostLog: HostRequestLog,
): Promise<{ lane: HostLane; result: FeedResult }> {
  try {
    const result = await executeChild<typeof feedEtl>(FEED_ETL_WORKFLOW, {
      workflowId: `${workflowId}-feed-${feed.id}`,
      args: [
        {
          feed,
          destination: plan.destination,
          stagingPrefix: plan.stagingPrefix,
          hostLog,
          hostLimits: lane.limits,
        },
      ],
    });
    return { lane, result };
  } catch (error) {
    // A cancelled run cancels its children: that is no feed's failure.
    if (isCancellation(error)) throw error;
    const result: FeedResult = {
      id: feed.id,
      name: feed.name,
      status: 'failed',
      reason: `its workflow failed: ${failureMessage(error)}`,
      pages: 0,
      bytes: 0,
      items: 0,
      shapes: [],
      durationMs: 0,
      hostLog,
    };
    return { lane, result };
  }
}

function disabled(feed: FeedDefinition, at: number): FeedResult {
  return {
    id: feed.id,
    name: feed.name,
    status: 'disabled',
    reason: 'enabled: false in the catalogue',
    pages: 0,
    bytes: 0,
    items: 0,
    shapes: [],
    durationMs: 0,
    hostLog: { host: '', sentAt: [], clock: at },
  };
}

/** The feed's line of the feed health: what it contributed after dedupe against the feeds before it. */
function health(result: FeedResult, contribution?: { locations: number; evsesKept: number }): FeedHealth {
  return {
    id: result.id,
    name: result.name,
    status: result.status,
    locations: contribution?.locations ?? 0,
    evsesKept: contribution?.evsesKept ?? 0,
    pages: result.pages,
    bytes: result.bytes,
    ...(result.fetchedAt === undefined ? {} : { fetchedAt: result.fetchedAt }),
    durationMs: result.durationMs,
    ...(result.reason === undefined ? {} : { lastError: result.reason }),
  };
}

function describeOutcome(result: FeedResult): string {
  return `${result.id} ${result.status}${result.reason ? `: ${result.reason}` : ''}`;
}
