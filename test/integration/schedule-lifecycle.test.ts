import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunFacts } from '../../src/cli/runFacts';
import type { RunReport } from '../../src/domain/runReport';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { runCli, runCliJson } from '../support/cliProcess';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { readText } from '../support/generatedBody';
import { samplePayload } from '../support/registryPayload';
import { createBucket, sharedTemporal } from '../support/services';

const execFileAsync = promisify(execFile);

/** What `schedule describe --json` prints. */
interface DescribedSchedule {
  scheduleId: string;
  paused: boolean;
  note: string | null;
  timing: string;
  overlap: string;
  catchupWindowMs: number;
  taskQueue: string;
  input: Record<string, unknown>;
  actionsTaken: number;
  recentActions: Array<{ workflowId: string }>;
}

let registry: FaultyRegistry;
let harness: EtlHarness;
let destination: string;
let env: Record<string, string>;
const scheduleId = `sched-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: samplePayload(), etag: '"sample"' });
  destination = `s3://${await createBucket()}/scheduled/`;
  harness = await startEtlHarness({ SOURCE_URL: registry.url('/ncr.json') });
  // The CLI starts runs on the harness's task queue, as an operator's would on the deployed worker's.
  env = { TEMPORAL_TASK_QUEUE: harness.taskQueue };
});

afterAll(async () => {
  // Normally the last test has deleted it already.
  await harness?.client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await harness?.stop();
  await registry?.close();
});

function describeSchedule(): Promise<DescribedSchedule> {
  return runCliJson<DescribedSchedule>(['schedule', 'describe', '--id', scheduleId, '--json'], env);
}

/** The schedule's action count, read through the SDK where the CLI is not what is tested (a CLI process costs seconds). */
async function actionsTaken(): Promise<number> {
  return (await harness.client.schedule.getHandle(scheduleId).describe()).info.numActionsTaken;
}

/**
 * Waits until the schedule has taken `count` actions, polling through the SDK,
 * then returns what the CLI describes.
 */
async function describeAfterActions(count: number, what: string, timeoutMs = 30_000): Promise<DescribedSchedule> {
  const handle = harness.client.schedule.getHandle(scheduleId);
  const deadline = Date.now() + timeoutMs;
  while ((await handle.describe()).info.numActionsTaken < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
  return describeSchedule();
}

/** `temporal schedule …` with the real Temporal CLI, on the suite's server. */
async function temporalCli(args: string[]): Promise<string> {
  const temporal = inject('serviceBinaries').temporalCli;
  expect(temporal, 'globalSetup found or built the temporal CLI').toBeDefined();
  const { address, namespace } = sharedTemporal();
  const { stdout } = await execFileAsync(temporal!, [...args, '--address', address, '--namespace', namespace]);
  return stdout;
}

describe('a schedule driven by uk-chargers schedule …', () => {
  it('is created with a short interval and its first scheduled run completes and publishes', async () => {
    const created = await runCli(
      ['schedule', 'create', '--id', scheduleId, '--every', '3s', '--destination', destination],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      new RegExp(
        `^created schedule ${scheduleId}: every 3s in UTC; next run \\S+ — http://ui.test/namespaces/default/schedules/${scheduleId}\\n$`,
      ),
    );

    const described = await describeAfterActions(1, 'the first scheduled run');
    expect(described).toMatchObject({
      paused: false,
      overlap: 'skip',
      catchupWindowMs: 3_600_000,
      taskQueue: harness.taskQueue,
      input: { destination },
    });
    const first = described.recentActions[0].workflowId;
    expect(first).toMatch(new RegExp(`^${scheduleId}-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$`));

    const report = (await harness.client.workflow.getHandle(first).result()) as RunReport;
    expect(report).toMatchObject({
      workflowId: first,
      destination,
      published: true,
      stats: { devicesSeen: 5, rows: 3 },
    });
    const published = await readText(await openBlobStore(destination).get('charger_models_UK.csv'));
    expect(published.split('\n')[0]).toBe(
      'ChargeDeviceManufacturer,LocationType,ChargeDeviceModel,PostCode,MonthUpdated,Count',
    );

    const runs = (await runCli(['list', '--schedule', scheduleId, '--limit', '50', '--json'], env)).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunFacts);
    expect(runs.find((run) => run.workflowId === first)).toMatchObject({
      scheduledBy: scheduleId,
      outcome: 'published',
      rows: 3,
      published: true,
    });
  });

  it('is shown by the real `temporal schedule describe` while it exists', async () => {
    const described = JSON.parse(
      await temporalCli(['schedule', 'describe', '--schedule-id', scheduleId, '--output', 'json']),
    ) as {
      schedule: {
        spec: { interval: Array<{ interval: string }> };
        action: { startWorkflow: { workflowType: { name: string }; taskQueue: { name: string } } };
      };
    };
    expect(described.schedule.spec.interval[0].interval).toBe('3s');
    expect(described.schedule.action.startWorkflow.workflowType.name).toBe('chargerEtl');
    expect(described.schedule.action.startWorkflow.taskQueue.name).toBe(harness.taskQueue);
  });

  it('refuses to create it again, changing nothing, unless --update-if-exists', async () => {
    const again = await runCli(['schedule', 'create', '--id', scheduleId, '--cron', '0 6 * * *'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `uk-chargers: schedule ${scheduleId} already exists; nothing changed (add --update-if-exists to replace its spec, policies and input)\n`,
    );
    const replaced = await runCli(
      [
        'schedule',
        'create',
        '--id',
        scheduleId,
        '--every',
        '3s',
        '--catchup-window',
        '2h',
        '--destination',
        destination,
        '--update-if-exists',
      ],
      env,
    );
    expect(replaced.stdout).toMatch(new RegExp(`^updated schedule ${scheduleId}: every 3s in UTC; next run `));
    // The refused cron left no trace; the update replaced the policies.
    expect(await describeSchedule()).toMatchObject({
      timing: 'every 3s in UTC',
      catchupWindowMs: 7_200_000,
      input: { destination },
      paused: false,
    });
  });

  it('pauses: no run is started while paused, and the note says why', async () => {
    const paused = await runCli(['schedule', 'pause', '--id', scheduleId, '--reason', 'registry maintenance'], env);
    expect(paused.stdout).toBe(`paused schedule ${scheduleId} (registry maintenance)\n`);
    const before = await describeSchedule();
    expect(before).toMatchObject({ paused: true, note: 'registry maintenance' });
    // Longer than the 3 s interval.
    await sleep(4_000);
    expect(await actionsTaken()).toBe(before.actionsTaken);
  });

  it('triggers a run on demand, even while paused, and prints its workflow ID', async () => {
    const triggered = await runCli(['schedule', 'trigger', '--id', scheduleId], env);
    expect(triggered.code, triggered.stderr).toBe(0);
    const workflowId = new RegExp(`^triggered schedule ${scheduleId}: started (\\S+) — http://ui\\.test/`).exec(
      triggered.stdout,
    )?.[1];
    expect(workflowId, triggered.stdout).toBeDefined();
    const report = (await harness.client.workflow.getHandle(workflowId!).result()) as RunReport;
    // Same registry data as the published run: the stable CSV is left alone.
    expect(report).toMatchObject({ destination, published: false, unchanged: true });
  });

  it('unpauses: scheduled runs start again', async () => {
    const before = await actionsTaken();
    const unpaused = await runCli(['schedule', 'unpause', '--id', scheduleId], env);
    expect(unpaused.code, unpaused.stderr).toBe(0);
    expect(await describeAfterActions(before + 1, 'a run after unpausing')).toMatchObject({ paused: false });
  });

  it('updates its timing and input, keeping the rest', async () => {
    const updated = await runCli(
      [
        'schedule',
        'update',
        '--id',
        scheduleId,
        '--cron',
        '0 6 * * *',
        '--timezone',
        'Europe/London',
        '--overlap',
        'buffer-one',
      ],
      env,
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(await describeSchedule()).toMatchObject({
      timing: 'cron 0 6 * * * in Europe/London',
      overlap: 'buffer-one',
      catchupWindowMs: 7_200_000,
      input: { destination },
      paused: false,
    });
    const refused = await runCli(
      ['schedule', 'update', '--id', scheduleId, '--source-url', 'https://user:secret@registry.test/ncr'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toContain('secret');
    expect(refused.stderr).toContain('carries credentials');
  });

  it('backfills the runs a past range would have started', async () => {
    const before = await actionsTaken();
    // The cron fires once a day at 06:00 London time: a two-day range holds two runs.
    const backfilled = await runCli(
      ['schedule', 'backfill', '--id', scheduleId, '--from', '2025-01-01', '--to', '2025-01-03'],
      env,
    );
    expect(backfilled.code, backfilled.stderr).toBe(0);
    const after = await describeAfterActions(before + 2, 'the backfilled runs');
    expect(after.recentActions.map((action) => action.workflowId)).toEqual(
      expect.arrayContaining([`${scheduleId}-2025-01-01T06:00:00Z`, `${scheduleId}-2025-01-02T06:00:00Z`]),
    );
  });

  it('is listed, then deleted, after which neither CLI finds it', async () => {
    const deadline = Date.now() + 15_000;
    let listed = '';
    // Schedule listing comes from the visibility store and may lag.
    while (!listed.includes(scheduleId) && Date.now() < deadline) {
      listed = (await runCli(['schedule', 'list'], env)).stdout;
      if (!listed.includes(scheduleId)) await sleep(500);
    }
    expect(listed).toMatch(
      new RegExp(
        `^${scheduleId}  active  cron 0 6 \\* \\* \\* in Europe/London  next \\S+  last \\S+ ${scheduleId}-`,
        'm',
      ),
    );

    const deleted = await runCli(['schedule', 'delete', '--id', scheduleId], env);
    expect(deleted.stdout).toBe(`deleted schedule ${scheduleId}\n`);
    const gone = await runCli(['schedule', 'describe', '--id', scheduleId], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(
      `uk-chargers: no schedule ${scheduleId} in namespace default (uk-chargers schedule list shows them)\n`,
    );
    await expect(temporalCli(['schedule', 'describe', '--schedule-id', scheduleId])).rejects.toThrow();
  });
});
