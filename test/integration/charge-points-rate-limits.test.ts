import { randomBytes } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedProgress } from '../../src/domain/chargePointsRun';
import type { chargePointsEtl } from '../../src/workflows';
import { CHARGE_POINTS_ETL_WORKFLOW, feedProgressQuery } from '../../src/workflows/definitions';
import { feedChildId } from '../support/chargePointsRuns';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { writeFeedCatalogue, type FeedCatalogueFile } from '../support/feedCatalogueFile';
import { FeedServer, splitEnvelope } from '../support/feedServer';
import { serveFixtureFeeds } from '../support/fixtureFeeds';
import { recordedBody } from '../support/openDataFixtures';
import { eventually } from '../support/runInspection';
import { createBucket, sharedMinio, sharedTemporal, uniqueBucketName } from '../support/services';
import { startWorkerProcess, stopWorkerProcesses, workerS3Environment } from '../support/workerProcess';

/**
 * Issue 10, "Tests": a feed host's limits, as the feed server's request times show
 * them, with the budget's hour scaled down (FEED_BUDGET_WINDOW).
 */
const MIN_INTERVAL_MS = 1_000;
const BUDGET = 3;
/** FEED_BUDGET_WINDOW: the budget's "hour", well beyond the ~12 s a worker from source takes to start. */
const BUDGET_WINDOW_MS = 30_000;
const RETRY_AFTER_S = 2;

let server: FeedServer;
let catalogue: FeedCatalogueFile;
let harness: EtlHarness;
let bucket: string;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  server = await FeedServer.start();
  const fixtures = serveFixtureFeeds(server, { joltApiKey: 'unused-jolt', ecoToken: 'unused-eco' });
  // Two feeds of one host: 2 pages, then 3 (ChargePlace Scotland's Locations two by two).
  server.serveLinkPages('/budget/a', [
    recordedBody('chargy/locations_page1.json'),
    recordedBody('chargy/locations_page2.json'),
  ]);
  server.serveLinkPages('/budget/b', splitEnvelope(recordedBody('chargeplace_scotland/locations_page1.json'), 2));
  catalogue = await writeFeedCatalogue([
    ...fixtures.map((feed) => feed.entry),
    // The host's limits are the strictest of its feeds': a's gap and b's budget.
    { id: 'budget_a', name: 'Budget A', url: server.url('/budget/a'), minIntervalMs: MIN_INTERVAL_MS },
    { id: 'budget_b', name: 'Budget B', url: server.url('/budget/b'), minIntervalMs: 0, maxRequestsPerHour: BUDGET },
  ]);
  bucket = await createBucket(uniqueBucketName('charge-points-limits'));
  harness = await startEtlHarness({ FEEDS_FILE: catalogue.path });
  connection = await Connection.connect({ address: sharedTemporal().address });
  client = new Client({ connection, namespace: sharedTemporal().namespace });
});

afterAll(async () => {
  await stopWorkerProcesses();
  await harness?.stop();
  await connection?.close();
  await server?.close();
  await catalogue?.remove();
});

/** The feed child's progress once `accept` takes it; undefined while the child or a worker to answer is missing. */
async function feedProgress(
  parentId: string,
  feedId: string,
  accept: (progress: FeedProgress) => boolean,
): Promise<FeedProgress | undefined> {
  try {
    const progress = await client.workflow.getHandle(feedChildId(parentId, feedId)).query(feedProgressQuery);
    return accept(progress) ? progress : undefined;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

describe('feed host limits', () => {
  it('a 429 with Retry-After is honoured: the retry is sent no sooner than it asks', async () => {
    server.failNext('/geniepoint/locations', [{ status: 429, retryAfter: RETRY_AFTER_S }]);
    const handle = await harness.startChargePoints({ feeds: ['geniepoint'], destination: `s3://${bucket}/retry/` });
    const report = await handle.result();

    expect(report.published).toBe(true);
    expect(report.feeds).toMatchObject([{ id: 'geniepoint', status: 'ok', pages: 1 }]);
    const [refused, retried, ...more] = server.requests.filter((request) => request.path === '/geniepoint/locations');
    expect(more).toEqual([]);
    expect(retried.receivedAt - refused.receivedAt).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
  });

  it('the per-host gap and a budget of 3 requests per 30 s hold across a kill -9 of the worker: the run finishes, no page fetched twice', async () => {
    const env = {
      ...workerS3Environment(sharedMinio()),
      FEEDS_FILE: catalogue.path,
      FEED_BUDGET_WINDOW: `${BUDGET_WINDOW_MS / 1000}s`,
    };
    const worker = await startWorkerProcess({ env });
    const handle = await client.workflow.start<typeof chargePointsEtl>(CHARGE_POINTS_ETL_WORKFLOW, {
      taskQueue: worker.taskQueue,
      workflowId: `limits-${randomBytes(6).toString('hex')}`,
      args: [{ feeds: ['budget_a', 'budget_b'], destination: `s3://${bucket}/budget/` }],
    });
    const budgetRequests = () => server.requests.filter((request) => request.path.startsWith('/budget/'));

    // Killed while feed b waits for the budget after the host's third request: the wait is a durable timer.
    await eventually(
      () =>
        feedProgress(
          handle.workflowId,
          'budget_b',
          (progress) => progress.stage === 'waiting' && progress.waitingFor === 'hourly budget',
        ),
      'feed b waits for the budget',
    );
    await worker.kill('SIGKILL');
    const killedAt = Date.now();
    expect(budgetRequests()).toHaveLength(BUDGET);
    const replacement = await startWorkerProcess({ env, taskQueue: worker.taskQueue });
    const replacementReadyAt = Date.now();
    const report = await handle.result();
    await replacement.kill('SIGTERM');

    expect(report.published).toBe(true);
    expect(report.feeds).toMatchObject([
      { id: 'budget_a', status: 'ok', pages: 2 },
      { id: 'budget_b', status: 'ok', pages: 3 },
    ]);
    const requests = budgetRequests();
    // Each page once: none fetched before the kill was fetched again.
    expect(requests.map((request) => request.url)).toEqual([
      '/budget/a',
      '/budget/a?offset=2',
      '/budget/b',
      '/budget/b?offset=2',
      '/budget/b?offset=4',
    ]);
    expect(requests[BUDGET].receivedAt).toBeGreaterThan(killedAt);
    // Else the replacement could not have sent too early, and the window check below would show nothing.
    expect(replacementReadyAt, 'the replacement worker started within the budget window').toBeLessThan(
      requests[0].receivedAt + BUDGET_WINDOW_MS,
    );
    // The gap between any two requests, and at most BUDGET of them in any window, the kill notwithstanding.
    for (let index = 1; index < requests.length; index += 1) {
      expect(requests[index].receivedAt - requests[index - 1].receivedAt).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
    }
    for (let index = BUDGET; index < requests.length; index += 1) {
      expect(requests[index].receivedAt - requests[index - BUDGET].receivedAt).toBeGreaterThanOrEqual(BUDGET_WINDOW_MS);
    }
  });
});
