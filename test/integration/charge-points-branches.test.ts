import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../src/activities';
import type { ChargePointsActivities } from '../../src/activities/chargePoints';
import type { FetchFailureDetails, FetchFeedPageInput } from '../../src/activities/chargePoints/fetchFeedPage';
import { emptyChargePointStats } from '../../src/domain/chargePointStats';
import type { ChargePointsEtlInput } from '../../src/domain/chargePointsRun';
import type { FeedDefinition } from '../../src/domain/feed';
import { hostLanes } from '../../src/domain/hostBudget';
import { etlWorkflowCode } from '../../src/etlWorker';
import type { RunVisibilityActivities } from '../../src/visibility/runVisibilityActivity';
import type { chargePointsEtl } from '../../src/workflows';
import { CHARGE_POINTS_ETL_WORKFLOW, chargePointsProgressQuery } from '../../src/workflows/definitions';
import { PAGES_PER_RUN } from '../../src/workflows/feedEtl';
import { sharedTemporal } from '../support/services';

/**
 * chargePointsEtl's and feedEtl's decisions on stub activities: only the Temporal
 * dev server is involved (no MinIO, no feeds). A run's stubs are chosen by its
 * workflow ID, which its children's IDs start with.
 */
type Stubs = ChargePointsActivities & Pick<Activities, 'publishChargePoints'> & RunVisibilityActivities;
type Script = {
  catalogue: FeedDefinition[];
  maxConcurrency?: number;
  /** How long each fetch takes, so overlapping children show in the log. */
  fetchMs?: number;
  /** Page `page` of feed `feedId`, attempt `attempt` (1-based, per page). */
  page?: (
    feedId: string,
    page: number,
    attempt: number,
    input: FetchFeedPageInput,
  ) => Awaited<ReturnType<Stubs['fetchFeedPage']>>;
  snapshot?: (feedId: string) => Awaited<ReturnType<Stubs['useFeedSnapshot']>>;
};

interface Call {
  activity: string;
  feedId?: string;
  page?: number;
  at: number;
  done?: number;
}

const scripts = new Map<string, Script>();
const calls = new Map<string, Call[]>();
const attempts = new Map<string, number>();

const feed = (id: string, url: string, extra: Partial<FeedDefinition> = {}): FeedDefinition => ({
  id,
  name: `${id} name`,
  url,
  enabled: true,
  paging: 'auto',
  minIntervalMs: 0,
  ...extra,
});

const fetched = (input: FetchFeedPageInput, extra: { nextUrl?: string; items?: number } = {}) => ({
  outcome: 'fetched' as const,
  status: 200,
  key: `staged/${input.feed.id}/${input.page}`,
  bytes: 1_000,
  sha256: 'c'.repeat(64),
  items: extra.items ?? 2,
  shape: 'data' as const,
  ...(extra.nextUrl === undefined ? {} : { nextUrl: extra.nextUrl }),
  fetchedAt: new Date().toISOString(),
  durationMs: 5,
  sentAt: Date.now(),
  finishedAt: Date.now() + 5,
});

function runOf(): { runId: string; script: Script; log: Call[] } {
  const workflowId = Context.current().info.workflowExecution!.workflowId;
  const runId = workflowId.split('-feed-')[0];
  if (!calls.has(runId)) calls.set(runId, []);
  return { runId, script: scripts.get(runId)!, log: calls.get(runId)! };
}

const stubs: Stubs = {
  runVisibility: async () => ({ source: 'http://unused.test/', searchAttributes: false }),
  planFeeds: async (input) => {
    const { script } = runOf();
    const feeds = script.catalogue.filter((f) => input.feeds === undefined || input.feeds.includes(f.id));
    return {
      destination: 'file:/stub',
      stagingPrefix: '_staging/stub/',
      feeds,
      lanes: hostLanes(feeds.filter((f) => f.enabled)),
      maxConcurrency: script.maxConcurrency ?? 8,
      plannedAt: Date.now(),
    };
  },
  fetchFeedPage: async (input) => {
    const { script, log, runId } = runOf();
    const key = `${runId}/${input.feed.id}/${input.page}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const call: Call = { activity: 'fetchFeedPage', feedId: input.feed.id, page: input.page, at: Date.now() };
    log.push(call);
    try {
      if (script.fetchMs) await new Promise((resolve) => setTimeout(resolve, script.fetchMs));
      return script.page ? script.page(input.feed.id, input.page, attempt, input) : fetched(input);
    } finally {
      call.done = Date.now();
    }
  },
  normaliseFeed: async (input) => {
    runOf().log.push({ activity: 'normaliseFeed', feedId: input.feed.id, at: Date.now() });
    return {
      normalised: { key: `normalised/${input.feed.id}`, bytes: 10, sha256: 'd'.repeat(64) },
      locations: input.pages,
      evsesKept: 2 * input.pages,
      durationMs: 1,
    };
  },
  useFeedSnapshot: async (input) => {
    const { script, log } = runOf();
    log.push({ activity: 'useFeedSnapshot', feedId: input.feedId, at: Date.now() });
    return script.snapshot?.(input.feedId) ?? { use: 'none', reason: 'no snapshot from an earlier run' };
  },
  mergeFeeds: async (input) => {
    runOf().log.push({ activity: 'mergeFeeds', at: Date.now() });
    return {
      csvKey: '_staging/stub/charge_points_UK.csv',
      sha256: 'e'.repeat(64),
      bytes: 100,
      stats: { ...emptyChargePointStats(), evsesKept: 7, rows: 3 },
      perFeed: input.feeds.map((f) => ({ id: f.id, locations: 1, evsesKept: 2 })),
      durationMs: 1,
    };
  },
  publishChargePoints: async (input) => {
    runOf().log.push({ activity: 'publishChargePoints', at: Date.now() });
    return {
      historyCsvUri: 'file:/stub/history/charge_points_UK.csv',
      manifestUri: 'file:/stub/history/charge_points_UK.manifest.json',
      feedsUri: 'file:/stub/history/charge_points_UK.feeds.json',
      stableUri: 'file:/stub/charge_points_UK.csv',
      stableFeedsUri: 'file:/stub/charge_points_UK.feeds.json',
      published: true,
      unchanged: false,
      reason: `first publish of ${input.feeds.length} feeds`,
      durationMs: 1,
    };
  },
};

let worker: Worker;
let running: Promise<void>;
let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;
const taskQueue = `charge-points-branches-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  const temporal = sharedTemporal();
  nativeConnection = await NativeConnection.connect({ address: temporal.address });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    ...etlWorkflowCode(),
    activities: stubs,
  });
  running = worker.run();
  connection = await Connection.connect({ address: temporal.address });
  client = new Client({ connection, namespace: temporal.namespace });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
});

async function run(script: Script, input: ChargePointsEtlInput = {}) {
  const workflowId = `cp-${randomBytes(6).toString('hex')}`;
  scripts.set(workflowId, script);
  const handle = await client.workflow.start<typeof chargePointsEtl>(CHARGE_POINTS_ETL_WORKFLOW, {
    taskQueue,
    workflowId,
    args: [input],
  });
  const outcome = await handle.result().then(
    (report) => ({ report, error: undefined }),
    (error: unknown) => ({ report: undefined, error }),
  );
  const progress = await handle.query(chargePointsProgressQuery);
  return { ...outcome, workflowId, progress, log: calls.get(workflowId) ?? [] };
}

const retryable = (message: string, details: Partial<FetchFailureDetails> = {}) =>
  ApplicationFailure.create({
    type: 'SourceError',
    message,
    details: [{ sentAt: Date.now(), finishedAt: Date.now(), ...details }],
  });
const permanent = (message: string) =>
  ApplicationFailure.create({
    type: 'SourceError',
    message,
    nonRetryable: true,
    details: [{ sentAt: Date.now(), finishedAt: Date.now() }],
  });

describe('chargePointsEtl branches on stub activities', () => {
  it('runs a child per enabled feed, never two of one host at once, at most FEEDS_MAX_CONCURRENCY in all, and merges in catalogue order', async () => {
    const catalogue = [
      feed('a1', 'http://a.test/1'),
      feed('b1', 'http://b.test/1'),
      feed('a2', 'http://a.test/2'),
      feed('off', 'http://c.test/1', { enabled: false }),
      feed('c1', 'http://c.test/2'),
      feed('b2', 'http://b.test/2'),
    ];
    const { report, log, progress } = await run({ catalogue, maxConcurrency: 2, fetchMs: 50 });
    expect(report!.feeds.map((f) => [f.id, f.status])).toEqual([
      ['a1', 'ok'],
      ['b1', 'ok'],
      ['a2', 'ok'],
      ['off', 'disabled'],
      ['c1', 'ok'],
      ['b2', 'ok'],
    ]);
    expect(report!.feeds.find((f) => f.id === 'off')).toMatchObject({ lastError: 'enabled: false in the catalogue' });
    const fetches = log.filter((call) => call.activity === 'fetchFeedPage');
    expect(fetches.map((call) => call.feedId).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    const overlapping = (x: Call, y: Call) => x.at < y.done! && y.at < x.done!;
    for (const x of fetches) {
      const together = fetches.filter((y) => overlapping(x, y));
      expect(together.length).toBeLessThanOrEqual(2);
      expect(new Set(together.map((y) => y.feedId![0])).size).toBe(together.length);
    }
    const order = log.map((call) => call.activity);
    expect(order.slice(-2)).toEqual(['mergeFeeds', 'publishChargePoints']);
    expect(progress).toMatchObject({ stage: 'done', total: 6, running: [], feeds: { ok: 5, disabled: 1 } });
  });

  it('follows next pages, counting items from the pages before', async () => {
    const seen: FetchFeedPageInput[] = [];
    const { report } = await run({
      catalogue: [feed('paged', 'http://p.test/locations')],
      page: (_id, page, _attempt, input) => {
        seen.push(input);
        return fetched(input, {
          items: 3,
          nextUrl: page < 3 ? `http://p.test/locations?offset=${page * 3}` : undefined,
        });
      },
    });
    expect(seen.map((input) => [input.page, input.url, input.itemsBefore])).toEqual([
      [1, undefined, 0],
      [2, 'http://p.test/locations?offset=3', 3],
      [3, 'http://p.test/locations?offset=6', 6],
    ]);
    expect(report!.feeds[0]).toMatchObject({ status: 'ok', pages: 3, bytes: 3_000, evsesKept: 2 });
  });

  it('retries a page after the Retry-After the server asked for, then goes on', async () => {
    const { report, log } = await run({
      catalogue: [feed('busy', 'http://busy.test/')],
      page: (_id, _page, attempt, input) => {
        if (attempt === 1) throw retryable('feed returned 429 Too Many Requests', { retryAfterMs: 1_500 });
        return fetched(input);
      },
    });
    const [first, second] = log.filter((call) => call.activity === 'fetchFeedPage');
    expect(second.at - first.at).toBeGreaterThanOrEqual(1_500);
    expect(report!.feeds[0]).toMatchObject({ status: 'ok', pages: 1 });
  });

  it('keeps the host gap between the starts of two requests, across the feeds of the host', async () => {
    const catalogue = [
      feed('g1', 'http://gap.test/1', { minIntervalMs: 700 }),
      feed('g2', 'http://gap.test/2', { minIntervalMs: 700 }),
    ];
    const { log } = await run({
      catalogue,
      page: (_id, page, _attempt, input) => fetched(input, { nextUrl: page < 2 ? `${input.feed.url}?p=2` : undefined }),
    });
    const starts = log.filter((call) => call.activity === 'fetchFeedPage').map((call) => call.at);
    expect(starts).toHaveLength(4);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(700);
  });

  it('falls back on the snapshot of a feed that fails for good: stale when young, expired when old, failed without one', async () => {
    const catalogue = [
      feed('good', 'http://good.test/'),
      feed('stale', 'http://stale.test/'),
      feed('old', 'http://old.test/'),
      feed('new', 'http://new.test/'),
    ];
    const snapshotInfo = {
      fetchedAt: '2026-12-02T06:00:00.000Z',
      runId: 'earlier',
      pages: 4,
      bytes: 4_000,
      locations: 9,
      evsesKept: 20,
      normalised: { key: '_feeds/x/abc.ndjson', bytes: 10, sha256: 'f'.repeat(64) },
    };
    const { report, log } = await run({
      catalogue,
      page: (id, _page, _attempt, input) => {
        if (id === 'good') return fetched(input);
        throw permanent(`feed returned 404 Not Found for http://${id}.test/`);
      },
      snapshot: (id) => {
        if (id === 'stale') {
          return {
            use: 'stale',
            snapshot: snapshotInfo,
            normalised: { ...snapshotInfo.normalised, key: '_staging/stub/feeds/stale/normalised.ndjson' },
            reason: 'using the snapshot fetched 2026-12-02T06:00:00.000Z (1d ago)',
          };
        }
        if (id === 'old')
          return { use: 'expired', snapshot: snapshotInfo, reason: 'snapshot … is older than FEED_MAX_STALE (7d)' };
        return { use: 'none', reason: 'no snapshot from an earlier run' };
      },
    });
    expect(report!.feeds.map((f) => [f.id, f.status])).toEqual([
      ['good', 'ok'],
      ['stale', 'stale'],
      ['old', 'expired'],
      ['new', 'failed'],
    ]);
    const stale = report!.feeds[1];
    expect(stale.fetchedAt).toBe('2026-12-02T06:00:00.000Z');
    expect(stale.lastError).toMatch(/^feed returned 404 Not Found for http:\/\/stale\.test\/; using the snapshot/);
    expect(report!.feeds[3].lastError).toBe(
      'feed returned 404 Not Found for http://new.test/ (no snapshot from an earlier run)',
    );
    // A permanent failure is not retried.
    expect(log.filter((call) => call.feedId === 'new' && call.activity === 'fetchFeedPage')).toHaveLength(1);
  });

  it('reports a feed without its secret skipped, naming the variable', async () => {
    const { report } = await run({
      catalogue: [feed('open', 'http://open.test/'), feed('keyed', 'http://keyed.test/')],
      page: (id, _page, _attempt, input) =>
        id === 'keyed'
          ? { outcome: 'secret-missing', secretEnv: 'KEYED_TOKEN', sentAt: Date.now(), finishedAt: Date.now() }
          : fetched(input),
    });
    expect(report!.feeds[1]).toMatchObject({
      status: 'skipped',
      lastError: "its secret is not set: the worker's environment has no KEYED_TOKEN",
    });
  });

  it('stops a paging loop as a failure of that feed alone', async () => {
    const { report } = await run({
      catalogue: [feed('loop', 'http://loop.test/locations'), feed('fine', 'http://fine.test/')],
      page: (id, _page, _attempt, input) =>
        id === 'loop' ? fetched(input, { nextUrl: 'http://loop.test/locations' }) : fetched(input),
    });
    expect(report!.feeds[0].status).toBe('failed');
    expect(report!.feeds[0].lastError).toMatch(
      /^feed loop: paging loop: the next page http:\/\/loop\.test\/locations was already fetched \(after 1 pages\)/,
    );
    expect(report!.feeds[1].status).toBe('ok');
  });

  it('fails the run, naming every feed, when no feed has data to contribute', async () => {
    const { error, progress, log } = await run({
      catalogue: [feed('x', 'http://x.test/'), feed('y', 'http://y.test/', { enabled: false })],
      page: () => {
        throw permanent('feed returned 401 Unauthorized for http://x.test/');
      },
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('NoFeedContributed');
    expect(cause.message).toBe(
      'no feed has data to contribute, so nothing was published: x failed: feed returned 401 Unauthorized for http://x.test/ (no snapshot from an earlier run); y disabled: enabled: false in the catalogue',
    );
    expect(progress).toMatchObject({ stage: 'failed', failedStage: 'feeds' });
    expect(log.map((call) => call.activity)).not.toContain('mergeFeeds');
  });

  it(`continues a feed of more than ${PAGES_PER_RUN} pages as new, keeping its counts and its loop guard`, async () => {
    const pages = PAGES_PER_RUN + 2;
    const { report, workflowId } = await run({
      catalogue: [feed('long', 'http://long.test/'), feed('loops-late', 'http://late.test/')],
      maxConcurrency: 2,
      page: (id, page, _attempt, input) => {
        // loops-late points back, after continuing as new, at a page its first run fetched.
        if (id === 'loops-late' && page === PAGES_PER_RUN + 1)
          return fetched(input, { items: 1, nextUrl: 'http://late.test/?page=100' });
        const next =
          id === 'long' && page === pages
            ? undefined
            : `http://${id === 'long' ? 'long' : 'late'}.test/?page=${page + 1}`;
        return fetched(input, { items: 1, nextUrl: next });
      },
    });
    expect(report!.feeds[0]).toMatchObject({ status: 'ok', pages, bytes: pages * 1_000 });
    expect(report!.feeds[1]).toMatchObject({ status: 'failed', pages: PAGES_PER_RUN + 1 });
    expect(report!.feeds[1].lastError).toMatch(
      /^feed loops-late: paging loop: the next page http:\/\/late\.test\/\?page=100 was already fetched \(after 101 pages\)/,
    );
    // The child's first run, as the parent started it, ended by continuing as new.
    const parentHistory = await client.workflow.getHandle(workflowId).fetchHistory();
    const started = parentHistory.events!.find(
      (event) =>
        event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId === `${workflowId}-feed-long`,
    );
    const firstRunId = started!.childWorkflowExecutionStartedEventAttributes!.workflowExecution!.runId!;
    const firstRun = await client.workflow.getHandle(`${workflowId}-feed-long`, firstRunId).fetchHistory();
    expect(firstRun.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  }, 60_000);
});
