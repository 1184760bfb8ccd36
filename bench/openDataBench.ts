import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { ChargePointsReport } from '../src/domain/chargePointsRun';
import { findOrBuildTemporalCli } from '../src/services/binaries';
import { startTemporalDevServer } from '../src/services/temporalDevServer';
import { runSearchAttributeDeclarations } from '../src/visibility/runMemo';
import { CHARGE_POINTS_ETL_WORKFLOW } from '../src/workflows/definitions';
import type { OpenDataBenchArgs, OpenDataRun, OpenDataSizeResult } from './benchResults';
import { writeBenchCatalogue } from './openData/benchCatalogue';
import { serveFeeds, type FeedServers } from './openData/feedServers';
import { offlineTransform, type OfflineCsv } from './openData/offlineTransform';
import { startWorkerProcess } from './openData/workerProcess';
import type { OpenDataManifest } from './openData/writeFeeds';

/**
 * `tsx bench/openDataBench.ts '<json: OpenDataBenchArgs>'`: chargePointsEtl over
 * the generated feeds, each served by its own local server, on a real Temporal dev
 * server and ONE worker (`node dist/worker.js`, its own process, fresh for every
 * run so its peak RSS is the run's), publishing to a local directory. Each run is
 * checked against the offline transform of the same bodies. Prints one JSON line
 * (OpenDataSizeResult[]); logs to stderr.
 */

const log = (line: string): void => {
  process.stderr.write(`[open-data] ${line}\n`);
};

async function main(args: OpenDataBenchArgs): Promise<void> {
  const temporal = await startTemporalDevServer({
    executable: await findOrBuildTemporalCli(log),
    searchAttributes: runSearchAttributeDeclarations(),
  });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  try {
    const results: OpenDataSizeResult[] = [];
    for (const directory of args.directories) {
      const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8')) as OpenDataManifest;
      results.push(await benchmarkSize(client, temporal, directory, manifest, args));
    }
    console.log(JSON.stringify(results));
  } finally {
    await connection.close();
    await temporal.stop();
  }
}

async function benchmarkSize(
  client: Client,
  temporal: { address: string; namespace: string },
  directory: string,
  manifest: OpenDataManifest,
  args: OpenDataBenchArgs,
): Promise<OpenDataSizeResult> {
  const { evses } = manifest.options;
  log(
    `${evses} EVSEs: offline transform of the ${manifest.pages} pages (${(manifest.bytes / 1e6).toFixed(0)} MB), the expected CSV`,
  );
  const offline = await offlineTransform(directory, manifest);
  checkExpected(manifest, offline);
  const servers = await serveFeeds(directory, manifest);
  const catalogue = resolve(args.dataDir, `open-data-${evses}.feeds.yaml`);
  const runs: OpenDataRun[] = [];
  try {
    await writeBenchCatalogue(catalogue, manifest, servers);
    for (let round = 0; round < args.runs; round++) {
      const run = await measuredRun(client, temporal, servers, manifest, catalogue, args, `${evses}-${round}`);
      verify(run.report, run.publishedSha256, offline, `${evses} EVSEs, run ${round + 1}`);
      log(
        `${evses} EVSEs, run ${round + 1}/${args.runs}: ${run.result.seconds.toFixed(1)} s, worker peak RSS ` +
          `${run.result.workerPeakRssMb.toFixed(0)} MB, CPU ${run.result.workerCpuSeconds.toFixed(1)} s; CSV identical to the offline transform`,
      );
      runs.push(run.result);
    }
  } finally {
    await servers.close();
  }
  return {
    evses,
    feeds: manifest.feeds.length,
    pages: manifest.pages,
    bytes: manifest.bytes,
    locations: manifest.expected.locationsSeen,
    evsesKept: offline.stats.evsesKept,
    rows: offline.stats.rows,
    csvBytes: offline.bytes,
    offlineSeconds: offline.seconds,
    runs,
  };
}

/** One run on a fresh worker: warm-up on the smallest feed, then the measured run of every feed. */
async function measuredRun(
  client: Client,
  temporal: { address: string; namespace: string },
  servers: FeedServers,
  manifest: OpenDataManifest,
  catalogue: string,
  args: OpenDataBenchArgs,
  label: string,
): Promise<{ result: OpenDataRun; report: ChargePointsReport; publishedSha256: string }> {
  const output = resolve(args.dataDir, `open-data-out-${label}`);
  // A task queue of its own: the server lists a stopped worker's pollers for minutes, so a shared
  // queue would look polled before this run's worker is up.
  const taskQueue = `bench-open-data-${label}-${randomBytes(4).toString('hex')}`;
  await rm(output, { recursive: true, force: true });
  await mkdir(join(output, 'warmup'), { recursive: true });
  await mkdir(join(output, 'run'), { recursive: true });
  const worker = startWorkerProcess(
    {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      FEEDS_FILE: catalogue,
      DESTINATION: `file:${join(output, 'run')}`,
      LOG_LEVEL: 'warn',
      WORKER_SHUTDOWN_GRACE_MS: '0',
    },
    [
      ...args.workerNodeArgs,
      ...(args.profileDir === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${args.profileDir}`, `--cpu-prof-name=worker-${label}.cpuprofile`]),
    ],
    log,
  );
  let stopped = false;
  try {
    await untilPolled(client, temporal.namespace, taskQueue);
    const idleRssMb = await worker.rssMb();
    const smallest = manifest.feeds.reduce((a, b) => (b.feed.evses < a.feed.evses ? b : a)).feed.id;
    await execute(client, taskQueue, { feeds: [smallest], destination: `file:${join(output, 'warmup')}`, force: true });
    const warmRssMb = await worker.rssMb();

    const pagesBefore = servers.pagesServed();
    const started = performance.now();
    const sampler = sampleRss(() => worker.rssMb(), started);
    const report = await execute(client, taskQueue, { destination: `file:${join(output, 'run')}`, force: true });
    const seconds = (performance.now() - started) / 1000;
    const rssPeak = await sampler.stop();
    const pagesServed = servers.pagesServed() - pagesBefore;
    const usage = await worker.stop();
    stopped = true;
    const publishedSha256 = await sha256Of(join(output, 'run', 'charge_points_UK.csv'));
    const slowest = [...report.feeds].sort((a, b) => b.durationMs - a.durationMs).slice(0, 3);
    return {
      report,
      publishedSha256,
      result: {
        seconds,
        workerPeakRssMb: usage.peakRssMb,
        workerCpuSeconds: usage.cpuSeconds,
        workerIdleRssMb: idleRssMb,
        workerWarmRssMb: warmRssMb,
        sampledPeakRssMb: rssPeak.mb,
        sampledPeakAtSeconds: rssPeak.atSeconds,
        pagesServed,
        durationsMs: report.durationsMs,
        slowestFeeds: slowest.map((feed) => ({ id: feed.id, pages: feed.pages, durationMs: feed.durationMs })),
        feedsOk: report.feeds.filter((feed) => feed.status === 'ok').length,
      },
    };
  } finally {
    if (!stopped) await worker.stop();
    await rm(output, { recursive: true, force: true });
  }
}

const RSS_SAMPLE_MS = 250;

/** Samples the worker's RSS until stopped: the highest sample, and when it was taken (seconds after `since`). */
function sampleRss(
  rssMb: () => Promise<number>,
  since: number,
): { stop(): Promise<{ mb: number; atSeconds: number }> } {
  const peak = { mb: 0, atSeconds: 0 };
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      const mb = await rssMb();
      if (mb > peak.mb) Object.assign(peak, { mb, atSeconds: (performance.now() - since) / 1000 });
      await new Promise((resolve) => setTimeout(resolve, RSS_SAMPLE_MS));
    }
  })();
  return {
    async stop() {
      sampling = false;
      await loop;
      return peak;
    },
  };
}

function execute(
  client: Client,
  taskQueue: string,
  input: { feeds?: string[]; destination: string; force: boolean },
): Promise<ChargePointsReport> {
  return client.workflow.execute(CHARGE_POINTS_ETL_WORKFLOW, {
    taskQueue,
    workflowId: `bench-open-data-${randomBytes(6).toString('hex')}`,
    args: [input],
  });
}

/** Resolves once the worker polls both the workflow and the activity task queue, so its start-up is not timed. */
async function untilPolled(client: Client, namespace: string, taskQueue: string): Promise<void> {
  const { TaskQueueType } = proto.api.enums.v1;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const polled = await Promise.all(
      [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY].map(async (taskQueueType) => {
        const described = await client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
          taskQueueType,
        });
        return described.pollers.length > 0;
      }),
    );
    if (polled.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no worker polled task queue ${taskQueue} within 60 s`);
}

/** The generator's own counts against the offline transform's: the bodies are what they were meant to be. */
function checkExpected(manifest: OpenDataManifest, offline: OfflineCsv): void {
  for (const [name, value] of Object.entries(manifest.expected)) {
    const actual = offline.stats[name as keyof typeof offline.stats];
    if (actual !== value) {
      throw new Error(`the offline transform counted ${name} ${actual}, the generator wrote ${value}`);
    }
  }
}

/** The run published exactly what the offline transform makes of the same bodies, every feed ok. */
function verify(report: ChargePointsReport, publishedSha256: string, offline: OfflineCsv, what: string): void {
  const problems: string[] = [];
  if (!report.published) problems.push(`not published: ${report.publishReason}`);
  if (report.csv.sha256 !== offline.sha256) problems.push(`report sha256 ${report.csv.sha256}`);
  if (publishedSha256 !== offline.sha256) problems.push(`published file sha256 ${publishedSha256}`);
  if (!isDeepStrictEqual(report.stats, offline.stats)) problems.push(`stats ${JSON.stringify(report.stats)}`);
  const notOk = report.feeds.filter((feed) => feed.status !== 'ok');
  if (notOk.length > 0)
    problems.push(
      `feeds not ok: ${notOk.map((feed) => `${feed.id} ${feed.status} ${feed.lastError ?? ''}`).join('; ')}`,
    );
  if (problems.length > 0) {
    throw new Error(
      `${what}: ${problems.join('; ')} (offline: sha256 ${offline.sha256}, ${JSON.stringify(offline.stats)})`,
    );
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

main(JSON.parse(process.argv[2] ?? '') as OpenDataBenchArgs).catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
