import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargePointsReport } from '../../src/domain/chargePointsRun';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { capturedLines } from '../support/capturedLogs';
import { readPublishedChargePoints, runAndChildrenHistoryText } from '../support/chargePointsRuns';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { writeFeedCatalogue, type FeedCatalogueFile } from '../support/feedCatalogueFile';
import { chargePointsDepsWithSecrets } from '../support/feedSecretsDeps';
import { FeedServer } from '../support/feedServer';
import { serveFixtureFeeds } from '../support/fixtureFeeds';
import { recordedBody } from '../support/openDataFixtures';
import { createBucket, uniqueBucketName } from '../support/services';

/**
 * Issue 10, "Tests": feed credentials come from the worker's environment by the
 * catalogue's variable names, reach the feed server, and appear nowhere else. The
 * secrets are sentinel values; the servers echo them in links and error bodies.
 */
const sentinel = (name: string) => `sentinel-${name}-${randomBytes(8).toString('hex')}`;
const SECRETS = { joltApiKey: sentinel('jolt'), ecoToken: sentinel('eco'), echoKey: sentinel('echo') };
/** The worker's environment: every variable but MISSING_FEED_TOKEN. */
const WORKER_ENV = { JOLT_API_KEY: SECRETS.joltApiKey, ECO_TOKEN: SECRETS.ecoToken, ECHO_KEY: SECRETS.echoKey };

let server: FeedServer;
let catalogue: FeedCatalogueFile;
let harness: EtlHarness;
let bucket: string;

beforeAll(async () => {
  server = await FeedServer.start();
  const fixtures = serveFixtureFeeds(server, SECRETS);
  const genie = recordedBody('geniepoint/locations_page1.json');
  // A feed echoing its key in its next link, as some servers do.
  const requires = { query: 'key', secret: SECRETS.echoKey };
  server.serveResponse('/echo/page1', genie, {
    requires,
    headers: { Link: `<${server.url(`/echo/page2?key=${SECRETS.echoKey}`)}>; rel="next"` },
  });
  server.serveResponse('/echo/page2', recordedBody('chargy/locations_page1.json'), { requires });
  server.serveResponse('/unset/locations', genie);
  catalogue = await writeFeedCatalogue([
    ...fixtures.map((feed) => feed.entry),
    {
      id: 'echo',
      name: 'Echo',
      url: server.url('/echo/page1'),
      auth: { query: 'key', secretEnv: 'ECHO_KEY' },
      minIntervalMs: 0,
    },
    {
      id: 'unset',
      name: 'Unset',
      url: server.url('/unset/locations'),
      auth: { header: 'Authorization', scheme: 'Bearer', secretEnv: 'MISSING_FEED_TOKEN' },
      minIntervalMs: 0,
    },
  ]);
  bucket = await createBucket(uniqueBucketName('charge-points-credentials'));
  harness = await startEtlHarness(
    { FEEDS_FILE: catalogue.path },
    { chargePointsDeps: chargePointsDepsWithSecrets(WORKER_ENV) },
  );
});

afterAll(async () => {
  await harness?.stop();
  await server?.close();
  await catalogue?.remove();
});

async function run(feeds: string[], prefix: string): Promise<{ workflowId: string; report: ChargePointsReport }> {
  const handle = await harness.startChargePoints({ feeds, destination: `s3://${bucket}/${prefix}` });
  return { workflowId: handle.workflowId, report: await handle.result() };
}

function secretsIn(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

describe('feed credentials', () => {
  it('header and query credentials come from the environment and appear in no history, log or published object', async () => {
    // Failures whose bodies echo the secrets, so that error messages are built from them too.
    server.failNext('/jolt/locations', [{ status: 500, body: `upstream failed for apiKey=${SECRETS.joltApiKey}` }]);
    server.failNext('/eco/locations', [
      { status: 503, retryAfter: 1, body: `{"message":"token ${SECRETS.ecoToken} is busy"}` },
    ]);
    const { workflowId, report } = await run(['jolt', 'eco', 'echo'], 'secrets/');

    expect(report.published).toBe(true);
    expect(report.feeds.map((feed) => [feed.id, feed.status, feed.pages])).toEqual([
      ['jolt', 'ok', 1],
      ['eco', 'ok', 2],
      ['echo', 'ok', 2],
    ]);
    // The feed server received them: every attempt of every page.
    const received = (path: string) => server.requests.filter((request) => request.path === path);
    expect(
      received('/jolt/locations').map((request) => new URL(request.url, server.origin).searchParams.get('apiKey')),
    ).toEqual([SECRETS.joltApiKey, SECRETS.joltApiKey]);
    expect(received('/eco/locations').map((request) => request.headers.authorization)).toEqual([
      `Token ${SECRETS.ecoToken}`,
      `Token ${SECRETS.ecoToken}`,
      `Token ${SECRETS.ecoToken}`,
    ]);
    for (const path of ['/echo/page1', '/echo/page2']) {
      expect(received(path).map((request) => new URL(request.url, server.origin).searchParams.get('key'))).toEqual([
        SECRETS.echoKey,
      ]);
    }

    // Histories name the variables and hold the failures, never the values.
    const history = await runAndChildrenHistoryText(harness.client, workflowId);
    expect(history).toContain('JOLT_API_KEY');
    expect(history).toContain('ECO_TOKEN');
    expect(history).toContain('ECHO_KEY');
    expect(history).toContain('500');
    expect(history).toContain('503');
    expect(secretsIn(history)).toEqual([]);
    // The worker logged the failed attempts, with their URLs redacted.
    const logs = capturedLines().join('\n');
    expect(logs).toContain('/jolt/locations?apiKey=REDACTED');
    expect(secretsIn(logs)).toEqual([]);
    const published = await readPublishedChargePoints(openBlobStore(`s3://${bucket}/secrets/`));
    expect(secretsIn(published.text)).toEqual([]);
  });

  it('a feed whose secret is not in the environment is skipped, naming the variable', async () => {
    const before = server.requests.length;
    const { report } = await run(['geniepoint', 'unset'], 'unset/');

    expect(report.published).toBe(true);
    expect(report.feeds.find((feed) => feed.id === 'geniepoint')).toMatchObject({ status: 'ok' });
    const unset = report.feeds.find((feed) => feed.id === 'unset');
    expect(unset).toMatchObject({ status: 'skipped', pages: 0, evsesKept: 0 });
    expect(unset?.lastError).toContain('MISSING_FEED_TOKEN');
    // Nothing was sent for it.
    expect(server.requests.slice(before).map((request) => request.path)).toEqual(['/geniepoint/locations']);
    const published = await readPublishedChargePoints(openBlobStore(`s3://${bucket}/unset/`));
    expect(published.feeds.find((feed) => feed.id === 'unset')).toMatchObject({ status: 'skipped' });
  });
});
