import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunFacts, RunStatus } from '../../src/cli/runFacts';
import type { RunReport } from '../../src/domain/runReport';
import { fetchingBytes } from '../support/runInspection';
import { runCli, runCliJson } from '../support/cliProcess';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { samplePayload, scaledPayload } from '../support/registryPayload';
import { createBucket, sharedTemporal } from '../support/services';

const execFileAsync = promisify(execFile);
/** The production task queue name: only this file may poll it, so `temporal workflow start --task-queue uk-chargers` lands here. */
const PRODUCTION_QUEUE = 'uk-chargers';

let registry: FaultyRegistry;
let harness: EtlHarness;
let bucket: string;
let env: Record<string, string>;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: samplePayload(), etag: '"sample"' });
  bucket = await createBucket();
  harness = await startEtlHarness({ SOURCE_URL: registry.url('/ncr.json'), DESTINATION: `s3://${bucket}/runs/` });
  env = { TEMPORAL_TASK_QUEUE: harness.taskQueue };
});

afterAll(async () => {
  await harness?.stop();
  await registry?.close();
});

/** Runs of this file's task queue as `uk-chargers list --json` reports them. */
async function listed(queue: string, extraQuery?: string): Promise<RunFacts[]> {
  const query = `TaskQueue = '${queue}'${extraQuery ? ` AND ${extraQuery}` : ''}`;
  const { stdout, code, stderr } = await runCli(['list', '--limit', '100', '--query', query, '--json'], env);
  expect(code, stderr).toBe(0);
  return stdout.trim() === ''
    ? []
    : stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as RunFacts);
}

/** Polls until `check` holds; visibility and progress signals lag the run by a moment. */
async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(250);
  }
}

describe('run --no-wait, then result, status and list', () => {
  let workflowId: string;
  let report: RunReport;

  beforeAll(async () => {
    const started = await runCliJson<{ workflowId: string; runId: string; webUiUrl: string }>(
      ['run', '--no-wait', '--json'],
      env,
    );
    workflowId = started.workflowId;
    expect(started.webUiUrl).toBe(`http://ui.test/namespaces/default/workflows/${workflowId}/${started.runId}/history`);
    report = await runCliJson<RunReport>(['result', workflowId, '--json'], env);
  });

  it('run --no-wait prints the workflow ID and Web UI link and returns before the run ends', async () => {
    const started = await runCli(['run', '--no-wait'], env);
    expect(started.stdout).toMatch(
      /^workflow ID: uk-chargers-\d{8}T\d{6}Z\nWeb UI: {6}http:\/\/ui\.test\/namespaces\/default\/workflows\/\S+\/history\n$/,
    );
    expect(report).toMatchObject({
      workflowId,
      destination: `s3://${bucket}/runs/`,
      published: true,
      stats: { rows: 3, devicesSeen: 5 },
    });
  });

  it('status of a completed run gives its outcome, rows and source', async () => {
    const status = await runCliJson<RunStatus>(['status', workflowId, '--json'], env);
    expect(status.run).toMatchObject({
      workflowId,
      runId: report.runId,
      status: 'COMPLETED',
      taskQueue: harness.taskQueue,
      source: registry.url('/ncr.json'),
      outcome: 'published',
      rows: 3,
      published: true,
      unchanged: false,
      publishReason: report.publishReason,
      scheduledBy: null,
    });
    expect(status.failure).toBeNull();
    const text = (await runCli(['status', workflowId], env)).stdout;
    expect(text).toContain(`run ${workflowId} (${report.runId})\n  status       COMPLETED, started `);
    expect(text).toContain(`  outcome      published, 3 rows — ${report.publishReason}\n`);
  });

  it('list shows recent runs with outcome, rows and published/unchanged, searchable by the run search attributes', async () => {
    const runs = await eventually(
      () => listed(harness.taskQueue),
      (found) => found.some((run) => run.workflowId === workflowId && run.outcome !== null),
      'the run in list',
    );
    expect(runs.find((run) => run.workflowId === workflowId)).toMatchObject({
      status: 'COMPLETED',
      outcome: 'published',
      rows: 3,
      published: true,
      unchanged: false,
    });
    // The suite's server has the search attributes registered, so the worker upserted them.
    const published = await eventually(
      () =>
        listed(
          harness.taskQueue,
          `UkChargersOutcome = 'published' AND UkChargersRows = 3 AND UkChargersSource = '${registry.url('/ncr.json')}'`,
        ),
      (found) => found.some((run) => run.workflowId === workflowId),
      'the run found by its search attributes',
    );
    expect(published.map((run) => run.workflowId)).toContain(workflowId);
    const table = (await runCli(['list', '--limit', '100', '--query', `TaskQueue = '${harness.taskQueue}'`], env))
      .stdout;
    expect(table.split('\n')[0]).toMatch(/^WORKFLOW ID +STATUS +STARTED +DURATION +OUTCOME +ROWS +SOURCE$/);
    expect(table).toMatch(
      new RegExp(`^${workflowId} +COMPLETED +\\S+ +\\S+ +published +3 +${registry.url('/ncr.json')}$`, 'm'),
    );
  });
});

describe('status of runs that are going, retrying or failed, and cancel', () => {
  it('shows the live stage and bytes fetched of a running run, which cancel --wait then stops', async () => {
    // About 40 s of download: the run is caught mid-fetch, then cancelled long before it ends.
    const slow = scaledPayload(4_000);
    registry.serve('/slow.json', { body: slow, bytesPerSecond: Math.round(slow.length / 40) });
    const { workflowId } = await runCliJson<{ workflowId: string }>(
      ['run', '--no-wait', '--json', '--source-url', registry.url('/slow.json')],
      env,
    );
    const handle = harness.client.workflow.getHandle(workflowId);
    await fetchingBytes(handle);

    const status = await runCliJson<RunStatus>(['status', workflowId, '--json'], env);
    expect(status.run.status).toBe('RUNNING');
    expect(status.progress).toMatchObject({ stage: 'fetchData', fetchRounds: 1 });
    expect(status.pendingActivities).toEqual([
      expect.objectContaining({ activity: 'fetchData', state: 'STARTED', attempt: 1 }),
    ]);
    const { bytesFetched } = status.pendingActivities[0].progress ?? {};
    expect(bytesFetched).toBeGreaterThan(0);
    expect(bytesFetched).toBeLessThan(slow.length);
    expect((await runCli(['status', workflowId], env)).stdout).toMatch(
      /\n {2}activity {5}fetchData started, attempt 1 of 10, fetched \d/,
    );

    const cancelled = await runCli(['cancel', workflowId, '--wait'], env);
    expect(cancelled).toMatchObject({ code: 0, stdout: `run ${workflowId} ended: CANCELLED\n` });
    const after = await runCliJson<RunStatus>(['status', workflowId, '--json'], env);
    expect(after.run.status).toBe('CANCELLED');
    expect(after.failure).toMatch(/^cancelled/);
    const again = await runCli(['cancel', workflowId], env);
    expect(again).toMatchObject({
      code: 1,
      stderr: `uk-chargers: run ${workflowId} is already CANCELLED; nothing to cancel\n`,
    });
  });

  it('shows the attempt count and last failure of an activity being retried', async () => {
    registry.serve('/down.json', { body: samplePayload() });
    registry.failNext(
      '/down.json',
      Array.from({ length: 50 }, () => ({ status: 503 })),
    );
    const { workflowId } = await runCliJson<{ workflowId: string }>(
      ['run', '--no-wait', '--json', '--source-url', registry.url('/down.json')],
      env,
    );
    const handle: WorkflowHandle = harness.client.workflow.getHandle(workflowId);
    await eventually(
      () => handle.describe(),
      (description) => (description.raw.pendingActivities?.[0]?.attempt ?? 0) >= 2,
      'a second attempt',
    );

    const status = await runCliJson<RunStatus>(['status', workflowId, '--json'], env);
    expect(status.progress).toMatchObject({ stage: 'checkStatus' });
    const [activity] = status.pendingActivities;
    expect(activity.activity).toBe('checkStatus');
    expect(activity.attempt).toBeGreaterThanOrEqual(2);
    expect(activity.lastFailure).toContain('503');
    expect((await runCli(['status', workflowId], env)).stdout).toMatch(
      /\n {2}activity {5}checkStatus \w+, attempt \d+, last failure: .*503/,
    );
    await handle.cancel();
  });

  it('reports a failed run in one line: status names where and why, result exits 1', async () => {
    registry.serve('/broken.json', { body: '{"ChargeDevice": [ {"oops": ' });
    const { workflowId } = await runCliJson<{ workflowId: string }>(
      ['run', '--no-wait', '--json', '--source-url', registry.url('/broken.json')],
      env,
    );
    const result = await runCli(['result', workflowId], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(`^uk-chargers: run ${workflowId} failed in \\w+ \\[\\w+\\]: .+ \\(http://ui\\.test/\\S+\\)\\n$`),
    );
    const status = await runCliJson<RunStatus>(['status', workflowId, '--json'], env);
    expect(status.run.status).toBe('FAILED');
    expect(status.run.outcome).toBeNull();
    expect(status.failure).toMatch(/^failed in \w+ \[\w+\]: /);
  });

  it('says when no worker answers the progress query of a running run', async () => {
    const queue = `no-worker-${Date.now()}`;
    const handle = await harness.client.workflow.start('chargerEtl', {
      taskQueue: queue,
      workflowId: queue,
      args: [{}],
    });
    try {
      const status = await runCliJson<RunStatus>(['status', queue, '--json'], env);
      expect(status.run.status).toBe('RUNNING');
      expect(status.progress).toBeNull();
      expect(status.progressUnavailable).toMatch(new RegExp(`is a worker polling task queue ${queue}\\?$`));
    } finally {
      await handle.terminate('test over');
    }
  });

  it('says so when a workflow does not exist', async () => {
    for (const command of ['status', 'result', 'cancel']) {
      const missing = await runCli([command, 'no-such-run'], env);
      expect(missing, command).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'uk-chargers: no workflow no-such-run in namespace default (uk-chargers list shows recent runs)\n',
      });
    }
  });
});

describe('a run started by the plain temporal CLI on the production task queue', () => {
  let production: EtlHarness;
  let prefix: string;

  beforeAll(async () => {
    prefix = `s3://${bucket}/production/`;
    production = await startEtlHarness({
      TEMPORAL_TASK_QUEUE: PRODUCTION_QUEUE,
      SOURCE_URL: registry.url('/ncr.json'),
      DESTINATION: prefix,
    });
  });

  afterAll(async () => {
    await production?.stop();
  });

  it('is reported correctly by status, result and list', async () => {
    const temporal = inject('serviceBinaries').temporalCli;
    expect(temporal, 'globalSetup found or built the temporal CLI').toBeDefined();
    const { address, namespace } = sharedTemporal();
    const workflowId = `temporal-cli-${Date.now()}`;
    await execFileAsync(temporal!, [
      'workflow',
      'start',
      '--type',
      'chargerEtl',
      '--task-queue',
      PRODUCTION_QUEUE,
      '--input',
      '{}',
      '--workflow-id',
      workflowId,
      '--address',
      address,
      '--namespace',
      namespace,
    ]);
    const productionEnv = { TEMPORAL_TASK_QUEUE: PRODUCTION_QUEUE };

    const report = await runCliJson<RunReport>(['result', workflowId, '--json'], productionEnv);
    expect(report).toMatchObject({
      workflowId,
      destination: prefix,
      sourceUrl: registry.url('/ncr.json'),
      published: true,
      stats: { rows: 3 },
    });

    const status = await runCliJson<RunStatus>(['status', workflowId, '--json'], productionEnv);
    expect(status.run).toMatchObject({
      status: 'COMPLETED',
      taskQueue: PRODUCTION_QUEUE,
      outcome: 'published',
      rows: 3,
      source: registry.url('/ncr.json'),
    });

    const runs = await eventually(
      () => listed(PRODUCTION_QUEUE),
      (found) => found.some((run) => run.workflowId === workflowId && run.outcome !== null),
      'the run in list',
    );
    expect(runs.find((run) => run.workflowId === workflowId)).toMatchObject({
      status: 'COMPLETED',
      outcome: 'published',
      rows: 3,
      published: true,
    });
  });
});

describe('config', () => {
  it('prints the effective configuration with secrets redacted', async () => {
    const printed = await runCliJson<{ temporal: { apiKey: string; taskQueue: string }; sourceUrl: string }>(
      ['config', '--json'],
      {
        TEMPORAL_API_KEY: 'SENTINEL-API-KEY',
        SOURCE_URL: 'https://user:SENTINEL-PASSWORD@registry.test/ncr.json',
        TEMPORAL_TASK_QUEUE: 'q1',
      },
    );
    expect(printed.temporal).toMatchObject({ apiKey: '<redacted>', taskQueue: 'q1' });
    expect(JSON.stringify(printed)).not.toContain('SENTINEL');
  });

  it('lists every invalid setting and exits 1', async () => {
    const invalid = await runCli(['config'], {
      SOURCE_MAX_BYTES: 'lots',
      SEARCH_ATTRIBUTES: 'maybe',
      LOG_LEVEL: 'chatty',
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(3);
    expect(invalid.stderr).toMatch(/^uk-chargers: invalid configuration:\n/);
  });
});
