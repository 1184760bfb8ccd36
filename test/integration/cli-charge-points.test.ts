import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargePointsReport } from '../../src/domain/chargePointsRun';
import { recordedSampleFeeds, writeCatalogue } from '../../src/demo/sampleFeeds';
import { runCli, runCliJson } from '../support/cliProcess';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { FeedServer } from '../support/feedServer';
import { createBucket, sharedMinioS3Config } from '../support/services';

/** Two recorded feeds in two paging styles: char.gy's Link pages and Mer UK's single response. */
const FEEDS = ['chargy', 'mer_uk'];

let server: FeedServer;
let catalogue: Awaited<ReturnType<typeof writeCatalogue>>;
let harness: EtlHarness;
let bucket: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await FeedServer.start();
  const entries = recordedSampleFeeds()
    .filter((feed) => FEEDS.includes(feed.id))
    .map((feed) => {
      server.serve(feed.path, {}, feed.reply);
      return { id: feed.id, name: feed.name, url: server.url(feed.path), minIntervalMs: 0 };
    });
  catalogue = await writeCatalogue(entries);
  bucket = await createBucket();
  harness = await startEtlHarness({ FEEDS_FILE: catalogue.path, DESTINATION: `s3://${bucket}/cp/` });
  env = { TEMPORAL_TASK_QUEUE: harness.taskQueue };
});

afterAll(async () => {
  await harness?.stop();
  await server?.close();
  await catalogue?.remove();
});

describe('run --dataset charge-points', () => {
  it('runs chargePointsEtl over the catalogue, prints the report with its feed-health table and publishes the three keys', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--dataset', 'charge-points'], env, 120_000);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/^started uk-chargers-charge-points-\d{8}T\d{6}Z/);
    expect(stdout).toMatch(/^run uk-chargers-charge-points-\d{8}T\d{6}Z \(\S+\): published — /);
    expect(stdout).toContain('\n  feeds        2 ok (of 2)\n');
    expect(stdout).toMatch(/^FEED +STATUS +LOCATIONS +EVSES KEPT +PAGES +BYTES +FETCHED AT +DURATION +LAST ERROR$/m);
    expect(stdout).toMatch(/^chargy +ok +4 +4 +2 +\S+ \S+ +\S+Z +\d+\.\ds +-$/m);
    expect(stdout).toMatch(/^mer_uk +ok +\d+ +\d+ +1 +\S+ \S+ +\S+Z +\d+\.\ds +-$/m);

    const s3 = new S3Client(sharedMinioS3Config());
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'cp/charge_points_UK' }));
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual([
      'cp/charge_points_UK.csv',
      'cp/charge_points_UK.feeds.json',
      'cp/charge_points_UK.manifest.json',
    ]);
    s3.destroy();
  });

  it('refuses, in one line and exit 1, to publish one feed over two: the publish guard holds', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--dataset', 'charge-points', '--feed', 'chargy'], env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n').at(-1)).toMatch(
      /^uk-chargers: run uk-chargers-charge-points-\S+ failed in publishChargePoints \[PublishRefused\]: publish guard refused /,
    );
  });

  it('--feed limits the run to one feed, --force publishes it; --json prints the report as one JSON line; result and status reread it', async () => {
    const report = await runCliJson<ChargePointsReport>(
      ['run', '--dataset', 'charge-points', '--feed', 'chargy', '--force', '--json'],
      env,
    );
    expect(report.published).toBe(true);
    expect(report.feeds.map((feed) => [feed.id, feed.status])).toEqual([['chargy', 'ok']]);
    expect(report.stats.evsesKept).toBe(4);
    const result = await runCli(['result', report.workflowId], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^chargy +ok +4 +4 +2 /m);
    const status = await runCli(['status', report.workflowId], env);
    expect(status.stdout).toContain('\n  dataset      charge-points (chargePointsEtl)\n');
    expect(status.stdout).toContain('\n  feeds        1 ok');
  });

  it('refuses a dataset it does not know, in one line before connecting', async () => {
    const { code, stderr } = await runCli(['run', '--dataset', 'charge_points'], env);
    expect(code).not.toBe(0);
    expect(stderr.split('\n')[0]).toBe(
      "error: option '--dataset <name>' argument 'charge_points' is invalid. expected charger-models or charge-points.",
    );
  });
});
