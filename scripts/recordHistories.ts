import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import type { ChargePointsEtlInput, ChargePointsReport, FeedStatus } from '../src/domain/chargePointsRun';
import { ERROR_CODES } from '../src/domain/errors';
import type { ChargerEtlInput, RunReport } from '../src/domain/runReport';
import { runSearchAttributeDeclarations } from '../src/visibility/runMemo';
import { createEtlWorker } from '../src/etlWorker';
import { installJsonLogging } from '../src/logging';
import { findOrBuildMinio, findOrBuildTemporalCli } from '../src/services/binaries';
import { minioEnvironment, startMinioServer } from '../src/services/minioServer';
import { startTemporalDevServer } from '../src/services/temporalDevServer';
import type { chargePointsEtl, chargerEtl } from '../src/workflows';
import { CHARGE_POINTS_ETL_WORKFLOW, CHARGER_ETL_WORKFLOW, progressQuery } from '../src/workflows/definitions';
import { startFaultyRegistry, type FaultyRegistry } from '../test/support/faultyRegistry';
import { writeFeedCatalogue, type CatalogueEntry } from '../test/support/feedCatalogueFile';
import { FeedServer } from '../test/support/feedServer';
import { serveFixtureFeeds, type FixtureFeedSecrets } from '../test/support/fixtureFeeds';
import {
  CHARGE_POINTS_HISTORIES_DIR,
  CHARGE_POINTS_SCENARIOS,
  chargePointsHistoryPath,
  chargePointsParentId,
  chargePointsWorkflowIds,
  historyFromJson,
  historyToJson,
  RECORDED_RUNS,
  recordedHistoryPath,
  recordedWorkflowId,
  type ChargePointsScenario,
  type RecordedRun,
} from '../test/support/recordedHistories';
import { samplePayload, scaledPayload } from '../test/support/registryPayload';
import { eventsText, failureOf } from '../test/support/runInspection';

/**
 * `npm run record-histories`: runs each representative chargerEtl scenario and
 * chargePointsEtl scenario on a fresh Temporal dev server and MinIO (as the tests
 * start them), with a real worker, a local registry and local feed servers, and
 * writes each recorded run's history for the replay test
 * (test/unit/workflow-replay.test.ts): chargerEtl's to
 * test/fixtures/histories/<run>.json, a charge-points run's parent and children to
 * test/fixtures/histories/charge-points/<scenario>/<workflowId>.json.
 * `-- --only charger-etl` or `-- --only charge-points` records and rewrites one
 * group alone. Fixed workflow IDs, task queue, worker identity and bucket keep a
 * re-recording's diff to what really changed (the feed servers' ports aside).
 */

const TASK_QUEUE = 'record-histories';
const IDENTITY = 'record-histories';
const BUCKET = 'histories';
const PAYLOAD = samplePayload();

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

interface Recording {
  registry: FaultyRegistry;
  /** Starts chargerEtl; the recorded run of a scenario passes its recorded workflow ID. */
  start: (input: ChargerEtlInput, workflowId?: string) => Promise<WorkflowHandle<typeof chargerEtl>>;
}

/**
 * Each scenario prepares what its run needs (served paths, earlier runs), runs
 * the run to record, checks it ended as the scenario means, and returns its handle.
 */
const SCENARIOS: Record<RecordedRun, (recording: Recording, workflowId: string) => Promise<WorkflowHandle>> = {
  async 'published-to-s3'({ registry, start }, workflowId) {
    registry.serve('/published.json', { body: PAYLOAD });
    const handle = await start(
      { sourceUrl: registry.url('/published.json'), destination: `s3://${BUCKET}/published/` },
      workflowId,
    );
    expectReport(await handle.result(), (report) => report.published, 'published');
    return handle;
  },

  async 'unchanged-304'({ registry, start }, workflowId) {
    registry.serve('/unchanged.json', { body: PAYLOAD, etag: '"v1"', lastModified: 'Tue, 24 Nov 2026 06:00:00 GMT' });
    const input = { sourceUrl: registry.url('/unchanged.json'), destination: `s3://${BUCKET}/unchanged/` };
    expectReport(await (await start(input)).result(), (report) => report.published, 'published (the run before)');
    const handle = await start(input, workflowId);
    expectReport(
      await handle.result(),
      (report) => report.publishReason.includes('304 Not Modified'),
      'unchanged on a 304',
    );
    return handle;
  },

  async 'truncated-refetched'({ registry, start }, workflowId) {
    // The probe is answered normally, the first download with complete headers but incomplete JSON.
    registry.serve('/truncated.json', { body: PAYLOAD });
    registry.failNext('/truncated.json', [{}, { body: PAYLOAD.subarray(0, 6_000), contentType: 'application/json' }]);
    const handle = await start(
      { sourceUrl: registry.url('/truncated.json'), destination: `s3://${BUCKET}/truncated/` },
      workflowId,
    );
    expectReport(await handle.result(), (report) => report.published, 'published');
    const { fetchRounds } = await handle.query(progressQuery);
    if (fetchRounds !== 2) throw new Error(`expected 2 fetch rounds, the run made ${fetchRounds}`);
    return handle;
  },

  async 'publish-refused'({ registry, start }, workflowId) {
    registry.serve('/full.json', { body: scaledPayload(1_000) });
    registry.serve('/shrunk.json', { body: scaledPayload(600) });
    const destination = `s3://${BUCKET}/refused/`;
    expectReport(
      await (await start({ sourceUrl: registry.url('/full.json'), destination })).result(),
      (report) => report.published,
      'published (the run before)',
    );
    const handle = await start({ sourceUrl: registry.url('/shrunk.json'), destination }, workflowId);
    expectFailure(await failureOf(handle), 'upload', 'PublishRefused');
    return handle;
  },

  async 'source-404'({ registry, start }, workflowId) {
    // Nothing is served at this path: the registry answers 404.
    const handle = await start(
      { sourceUrl: registry.url('/missing.json'), destination: `s3://${BUCKET}/missing/` },
      workflowId,
    );
    expectFailure(await failureOf(handle), 'checkStatus', 'SourceError');
    return handle;
  },
};

const GROUPS = ['charger-etl', 'charge-points'] as const;
type Group = (typeof GROUPS)[number];

/** Two feed hosts (two ports: two host lanes), serving the recorded open-data feeds. */
interface FeedHosts {
  /** char.gy (Link paging, a 100 ms host gap), Eco (offset paging, header secret), Jolt (query secret, left unset). */
  a: FeedServer;
  /** GeniePoint (one response), Mer UK (disabled). */
  b: FeedServer;
}

/**
 * The catalogue every charge-points scenario runs, in the order of
 * CHARGE_POINTS_CHILD_FEEDS, and the disabled Mer UK last.
 */
function recordedCatalogue(hosts: FeedHosts, secrets: FixtureFeedSecrets): CatalogueEntry[] {
  const onA = new Map(serveFixtureFeeds(hosts.a, secrets).map(({ entry }) => [entry.id, entry]));
  const onB = new Map(serveFixtureFeeds(hosts.b, secrets).map(({ entry }) => [entry.id, entry]));
  return [
    { ...onA.get('chargy')!, minIntervalMs: 100 },
    onA.get('eco')!,
    onA.get('jolt')!,
    onB.get('geniepoint')!,
    { ...onB.get('mer_uk')!, enabled: false },
  ];
}

interface ChargePointsRecording {
  hosts: FeedHosts;
  client: Client;
  /** Starts chargePointsEtl; the recorded run of a scenario passes its recorded workflow ID. */
  start: (input: ChargePointsEtlInput, workflowId?: string) => Promise<WorkflowHandle<typeof chargePointsEtl>>;
}

const CHARGE_POINTS: Record<
  ChargePointsScenario,
  (recording: ChargePointsRecording, workflowId: string) => Promise<WorkflowHandle>
> = {
  async 'charge-points-published'(recording, workflowId) {
    const handle = await recording.start({ destination: `s3://${BUCKET}/charge-points-published/` }, workflowId);
    const report = await handle.result();
    expectFeeds(report, { chargy: 'ok', eco: 'ok', jolt: 'skipped', geniepoint: 'ok', mer_uk: 'disabled' });
    if (!report.published) throw new Error(`expected the run to publish, it reported: ${report.publishReason}`);
    await expectTimer(recording.client, `${workflowId}-feed-eco`, "waiting out char.gy's host gap");
    return handle;
  },

  async 'charge-points-stale'(recording, workflowId) {
    const destination = `s3://${BUCKET}/charge-points-stale/`;
    const before = await (await recording.start({ destination })).result();
    expectFeeds(before, { chargy: 'ok', geniepoint: 'ok' });
    recording.hosts.b.failNext('/geniepoint/locations', [{ status: 404 }]);
    recording.hosts.a.failNext('/chargy/locations', [{ status: 429, retryAfter: 1 }]);
    const handle = await recording.start({ destination }, workflowId);
    expectFeeds(await handle.result(), { chargy: 'ok', eco: 'ok', geniepoint: 'stale' });
    await expectTimer(recording.client, `${workflowId}-feed-chargy`, "waiting out the 429's Retry-After");
    return handle;
  },

  async 'charge-points-no-feed'(recording, workflowId) {
    recording.hosts.a.failNext('/chargy/locations', [{ status: 404 }]);
    recording.hosts.a.failNext('/eco/locations', [{ status: 404 }]);
    recording.hosts.b.failNext('/geniepoint/locations', [{ status: 404 }]);
    const handle = await recording.start({ destination: `s3://${BUCKET}/charge-points-no-feed/` }, workflowId);
    expectFailure(await failureOf(handle), undefined, ERROR_CODES.noFeedContributed);
    return handle;
  },
};

function expectFeeds(report: ChargePointsReport, expected: Record<string, FeedStatus>): void {
  const statuses = Object.fromEntries(report.feeds.map((feed) => [feed.id, feed.status]));
  const wrong = Object.entries(expected).filter(([id, status]) => statuses[id] !== status);
  if (wrong.length > 0) {
    throw new Error(
      `expected the feeds ${wrong.map(([id, status]) => `${id} ${status}`).join(', ')}, the run reported ${JSON.stringify(statuses)}`,
    );
  }
}

async function expectTimer(client: Client, workflowId: string, why: string): Promise<void> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  if (!history.events?.some((event) => event.timerStartedEventAttributes)) {
    throw new Error(`expected ${workflowId} to start a timer ${why}, its history has none`);
  }
}

/**
 * The histories of a charge-points run: its parent's and each child's, by workflow
 * ID. No scenario pages past PAGES_PER_RUN, so each child has one run; one that
 * continued as new would need its later runs recorded too, so it is refused.
 */
async function chargePointsHistories(client: Client, parent: WorkflowHandle): Promise<Map<string, History>> {
  const parentHistory = await parent.fetchHistory();
  const histories = new Map([[parent.workflowId, parentHistory]]);
  for (const event of parentHistory.events ?? []) {
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    if (!child?.workflowId) continue;
    const history = await client.workflow.getHandle(child.workflowId, child.runId ?? undefined).fetchHistory();
    if (history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes) {
      throw new Error(`${child.workflowId} continued as new: the recorder records one run per child`);
    }
    histories.set(child.workflowId, history);
  }
  return histories;
}

function expectReport(report: RunReport, holds: (report: RunReport) => boolean, what: string): void {
  if (!holds(report)) throw new Error(`expected the run to end ${what}, it reported: ${report.publishReason}`);
}

/** `activityType` undefined: the workflow itself failed the run. */
function expectFailure(
  failure: { activityType?: string; type?: string },
  activityType: string | undefined,
  type: string,
): void {
  if (failure.activityType !== activityType || failure.type !== type) {
    throw new Error(
      `expected ${type} in ${activityType ?? 'the workflow'}, the run failed with ${failure.type} in ${failure.activityType ?? 'the workflow'}`,
    );
  }
}

/**
 * The history as pretty JSON in the format of `temporal workflow show --output json`,
 * without stack traces: replay never reads them, and they hold this machine's paths.
 */
function historyFile(history: History): string {
  const withoutStackTraces = (key: string, value: unknown): unknown => (key === 'stackTrace' ? undefined : value);
  return `${JSON.stringify(historyToJson(history), withoutStackTraces, 2)}\n`;
}

/** Fails if any credential the worker had, or anything shaped like an AWS access key, is in the file. */
function checkNoSecrets(run: string, file: string, secrets: string[]): void {
  // Payloads are base64 in the file: search them decoded, as the replayer reads them.
  const text = `${file}\n${eventsText(historyFromJson(JSON.parse(file)).events ?? [])}`;
  const leaked = secrets.filter((secret) => text.includes(secret)).length;
  if (leaked > 0)
    throw new Error(`the history of ${run} holds ${leaked} of the credentials the worker had: not written`);
  if (/\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(text))
    throw new Error(`the history of ${run} holds an AWS access key ID: not written`);
}

/** The groups `--only` names, or both. */
function groupsToRecord(): Set<Group> {
  const { only } = parseArgs({ options: { only: { type: 'string' } } }).values;
  if (only === undefined) return new Set(GROUPS);
  if (!(GROUPS as readonly string[]).includes(only)) {
    throw new Error(`--only takes ${GROUPS.join(' or ')}, got "${only}"`);
  }
  return new Set([only as Group]);
}

async function main(): Promise<void> {
  const groups = groupsToRecord();
  // Errors only: the scenarios fail activities on purpose, and the script checks each outcome itself.
  installJsonLogging('error');
  const ambientSecrets = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'TEMPORAL_API_KEY',
  ].flatMap((name) => process.env[name] || []);
  // Sentinel secrets: Eco's is given to the worker, Jolt's is not (its feed is skipped).
  const feedSecrets: FixtureFeedSecrets = {
    joltApiKey: `jolt-${randomBytes(12).toString('hex')}`,
    ecoToken: `eco-${randomBytes(12).toString('hex')}`,
  };
  process.env.ECO_TOKEN = feedSecrets.ecoToken;
  delete process.env.JOLT_API_KEY;
  const [temporalCli, minioPath] = await Promise.all([findOrBuildTemporalCli(log), findOrBuildMinio(log)]);
  const temporal = await startTemporalDevServer({
    executable: temporalCli,
    searchAttributes: runSearchAttributeDeclarations(),
    log,
  });
  const stops: Array<() => Promise<void>> = [() => temporal.stop()];
  try {
    const minio = await startMinioServer({ executable: minioPath, log });
    stops.unshift(() => minio.stop());
    await minio.createBucket(BUCKET);
    const registry = await startFaultyRegistry();
    stops.unshift(() => registry.close());
    const hosts: FeedHosts = { a: await FeedServer.start(), b: await FeedServer.start() };
    stops.unshift(
      () => hosts.a.close(),
      () => hosts.b.close(),
    );
    const catalogue = await writeFeedCatalogue(recordedCatalogue(hosts, feedSecrets));
    stops.unshift(() => catalogue.remove());

    // The worker's S3 client reads its endpoint and credentials from the environment, as in production.
    Object.assign(process.env, minioEnvironment(minio));
    const config = loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      SOURCE_ALLOWED_HOSTS: '127.0.0.1',
      WORKER_SHUTDOWN_GRACE_MS: '0',
      FEEDS_FILE: catalogue.path,
    });
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    stops.unshift(() => nativeConnection.close());
    const worker = await createEtlWorker({
      config,
      connection: nativeConnection,
      workerOptions: { identity: IDENTITY },
    });
    const running = worker.run();
    stops.unshift(async () => {
      worker.shutdown();
      await running;
    });
    const connection = await Connection.connect({ address: temporal.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace, identity: IDENTITY });

    let unrecorded = 0;
    const recording: Recording = {
      registry,
      start: (input, workflowId = `chargerEtl-before-${++unrecorded}`) =>
        client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
          taskQueue: TASK_QUEUE,
          workflowId,
          args: [input],
        }),
    };
    const chargePointsRecording: ChargePointsRecording = {
      hosts,
      client,
      start: (input, workflowId = `chargePointsEtl-before-${++unrecorded}`) =>
        client.workflow.start<typeof chargePointsEtl>(CHARGE_POINTS_ETL_WORKFLOW, {
          taskQueue: TASK_QUEUE,
          workflowId,
          args: [input],
        }),
    };
    const secrets = [
      minio.accessKeyId,
      minio.secretAccessKey,
      feedSecrets.joltApiKey,
      feedSecrets.ecoToken,
      ...ambientSecrets,
    ];
    // Path → file; written only once every scenario has been recorded, so a failure leaves the old set whole.
    const files = new Map<string, string>();
    if (groups.has('charger-etl')) {
      for (const run of RECORDED_RUNS) {
        log(`recording ${run}…`);
        const handle = await SCENARIOS[run](recording, recordedWorkflowId(run));
        const file = historyFile(await handle.fetchHistory());
        checkNoSecrets(run, file, secrets);
        files.set(recordedHistoryPath(run), file);
      }
    }
    if (groups.has('charge-points')) {
      for (const scenario of CHARGE_POINTS_SCENARIOS) {
        log(`recording ${scenario}…`);
        const parent = await CHARGE_POINTS[scenario](chargePointsRecording, chargePointsParentId(scenario));
        const histories = await chargePointsHistories(client, parent);
        const expected = chargePointsWorkflowIds(scenario);
        if ([...histories.keys()].sort().join() !== [...expected].sort().join()) {
          throw new Error(
            `${scenario} ran ${[...histories.keys()].join(', ')}; the replay test expects ${expected.join(', ')}`,
          );
        }
        for (const [workflowId, history] of histories) {
          const file = historyFile(history);
          checkNoSecrets(`${scenario}/${workflowId}`, file, secrets);
          files.set(chargePointsHistoryPath(scenario, workflowId), file);
        }
      }
      // Rewritten whole, so it holds exactly the recorded scenarios.
      await rm(CHARGE_POINTS_HISTORIES_DIR, { recursive: true, force: true });
    }
    for (const [path, file] of files) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file);
      log(`wrote ${relative(process.cwd(), path)} (${(Buffer.byteLength(file) / 1024).toFixed(1)} KiB)`);
    }
  } finally {
    for (const stop of stops) await stop().catch((error: unknown) => log(`stopping: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  log(`recording the histories failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
