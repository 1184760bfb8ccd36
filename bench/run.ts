import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_EDGE_RATE, DEFAULT_SEED, type PayloadOptions } from './generator/syntheticRegistry';
import {
  BENCH_PARTS,
  type BenchOptions,
  type BenchPart,
  type BenchResults,
  type EndToEndResult,
  type OpenDataBenchArgs,
  type OpenDataSizeResult,
  type StartupResult,
} from './benchResults';
import { anchorRounds, benchmarkAnchors, type AnchorSizeResult } from './anchorBenchmark';
import { ensureAnchorPython } from './anchorPython';
import { anchorChartSeries, renderChart } from './chart';
import { evaluateGoals, type MeasuredResults } from './goals';
import { checkGnuTime, measureProcess } from './measureProcess';
import { ensurePayload, type BenchPayload } from './payloads';
import { formatReport } from './report';
import { benchmarkHugeValues } from './hugeValues';
import { benchmarkSize, succeed, timed, type SizeResult, type TimedRun } from './sizeBenchmark';
import { ensureOpenDataFeeds } from './openData/writeFeeds';

/**
 * `npm run bench [-- --sizes 10000,100000 --runs 5 --e2e-devices 100000 | --no-e2e]
 * [--only open-data --open-data-evses 80000,800000]`: builds, then measures the
 * CLI's start-up, the offline transform against whole-document JSON.parse at each
 * size and, on payloads without edge cases, against the anchors (the original
 * script's pandas processing and DuckDB, in bench/.venv), chargerEtl against its
 * activities called directly, and chargePointsEtl over 60 simulated feeds with one
 * worker; prints the tables and the goals, writes bench/results.json and the
 * anchors' chart (bench/chart.svg). See BENCHMARKS.md.
 */

/** The bundled sample the start-up is measured on: five devices, so the time is nearly all start-up. */
const STARTUP_SAMPLE = 'assets/ncr-public-sample.json';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return number;
}

function fraction(value: string): number {
  const number = Number(value);
  if (!(number >= 0 && number <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return number;
}

function sizeList(value: string): number[] {
  return value.split(',').map((size) => positiveInteger(size.trim()));
}

/** The command line, before the parts are resolved. */
interface CliOptions extends Omit<BenchOptions, 'parts'> {
  only: BenchPart[];
  e2e: boolean;
  openData: boolean;
}

async function main(cli: CliOptions): Promise<void> {
  const { only, e2e, openData, ...rest } = cli;
  const options: BenchOptions = {
    ...rest,
    parts: only.filter((part) => (part !== 'e2e' || e2e) && (part !== 'open-data' || openData)),
  };
  const runs = (part: BenchPart): boolean => options.parts.includes(part);
  if (runs('transform') || runs('huge-values')) await checkGnuTime();
  await access('dist/client.js').catch(() => {
    throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
  });
  // Fails before anything is measured when the anchors' Python environment cannot be made.
  const python = runs('transform') ? await ensureAnchorPython(log) : undefined;
  const started = loadavg();
  await mkdir(options.dataDir, { recursive: true });
  // One output directory per run, so runs sharing a --data-dir do not overwrite each other's outputs.
  const outputDir = await mkdtemp(join(options.dataDir, 'out-'));
  const payloadOptions = (devices: number, edgeRate = options.edgeRate): PayloadOptions => ({
    devices,
    seed: options.seed,
    edgeRate,
    schemePosition: 'before',
  });

  let startup: BenchResults['startup'];
  const sizes: SizeResult[] = [];
  const anchors: AnchorSizeResult[] = [];
  if (python !== undefined) {
    startup = await measureStartup(STARTUP_ROUNDS_PER_RUN * options.runs, outputDir);
    for (const devices of options.sizes) {
      const payload = await ensurePayload(options.dataDir, payloadOptions(devices));
      logPayload(devices, payload);
      sizes.push(await benchmarkSize(payload, options.runs, outputDir, log));
      // The original script crashes on a kept device without a postcode: the anchors get a payload without edge cases.
      const clean = await ensurePayload(options.dataDir, payloadOptions(devices, 0));
      logPayload(devices, clean);
      const settings = { python, rounds: anchorRounds(devices, options.runs), maxDevices: options.anchorMaxDevices };
      anchors.push(await benchmarkAnchors(clean, settings, outputDir, log));
    }
  }

  const hugeValues = runs('huge-values') ? await benchmarkHugeValues(options.dataDir, outputDir, log) : [];

  let endToEnd: BenchResults['endToEnd'];
  if (runs('e2e')) {
    const payload = await ensurePayload(options.dataDir, payloadOptions(options.e2eDevices));
    log(`end to end at ${options.e2eDevices} devices: starting Temporal, MinIO, a worker and the registry stand-in`);
    endToEnd = {
      devices: options.e2eDevices,
      ...(await runEndToEnd(payload.path, payload.summary.expected.csvSha256, options.runs)),
    };
  }

  let openDataResults: OpenDataSizeResult[] | undefined;
  if (runs('open-data')) openDataResults = await runOpenData(options);
  await rm(outputDir, { recursive: true, force: true });

  const measured: MeasuredResults = {
    options,
    startup,
    sizes,
    anchors,
    hugeValues,
    endToEnd,
    openData: openDataResults,
  };
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1e9),
      node: process.version,
      platform: process.platform,
    },
    ...measured,
    goals: evaluateGoals(measured),
    loadAverage: { start: started, end: loadavg() },
  };
  await writeFile(options.results, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatReport(results));
  log(`wrote ${options.results}`);
  if (anchors.length > 0) {
    const { cpus: cpuCount, cpuModel, memoryGb, node } = results.machine;
    const chart = renderChart(
      'uk-chargers transform and the anchors, by payload size',
      `payloads without edge cases; ${cpuCount} × ${cpuModel}, ${memoryGb} GB, Node ${node}`,
      anchorChartSeries(anchors),
    );
    await writeFile(options.chart, chart);
    log(`wrote ${options.chart}`);
  }
}

function logPayload(devices: number, payload: BenchPayload): void {
  log(
    `${devices} devices, edge rate ${payload.summary.options.edgeRate}: ${(payload.summary.bytes / 1e6).toFixed(0)} MB payload ` +
      (payload.reused ? 'reused' : `generated in ${payload.generateSeconds.toFixed(0)} s`) +
      ` (${payload.path})`,
  );
}

/** Start-up runs are short and noisy: three times the rounds of the other measurements. */
const STARTUP_ROUNDS_PER_RUN = 3;

/**
 * Node 20 parses the whole bundle NODE_EXTRA_CA_CERTS names at every start, before
 * running any code (OpenSSL 3 is slow at it: nodejs/node#40524; Node 22 and later
 * wait for the first TLS connection). Our bench machine's environment sets it for
 * its proxy, which adds 0.08 s to every Node 20 process, `node -e 0` included:
 * more than the command's own start-up. The goal is the command's start-up, so the
 * runs judged leave the variable out; when the environment sets it, the command
 * and `node -e 0` are also run with it, and the report shows both.
 */
const EXTRA_CA_CERTS = 'NODE_EXTRA_CA_CERTS';

/**
 * Start-up: the transform command and the in-process runner on the bundled sample,
 * and `node -e 0`, Node's own start-up on this machine at this moment, for scale,
 * in rounds that rotate which goes first.
 */
async function measureStartup(rounds: number, outputDir: string): Promise<StartupResult> {
  log(`start-up cost: transform of ${STARTUP_SAMPLE}`);
  const output = join(outputDir, 'sample.csv');
  const cli = ['dist/client.js', 'transform', '--input', STARTUP_SAMPLE, '--output', output, '--json'];
  const runner = ['bench/transformRunner.cjs', STARTUP_SAMPLE, output];
  const { [EXTRA_CA_CERTS]: extraCaCerts, ...withoutExtraCaCerts } = process.env;
  const arms = [
    { what: 'CLI', args: cli, env: withoutExtraCaCerts, runs: [] as TimedRun[] },
    { what: 'in-process runner', args: runner, env: withoutExtraCaCerts, runs: [] as TimedRun[] },
    { what: '`node -e 0`', args: ['-e', '0'], env: withoutExtraCaCerts, runs: [] as TimedRun[] },
  ];
  const [cliArm, runnerArm, nodeArm] = arms;
  let withExtraCaCerts: StartupResult['withExtraCaCerts'];
  if (extraCaCerts !== undefined) {
    log(`start-up: ${EXTRA_CA_CERTS} is set (${extraCaCerts}); measuring with and without it`);
    const [cliWith, nodeWith] = [cliArm, nodeArm].map((arm) => ({
      ...arm,
      what: `${arm.what} with ${EXTRA_CA_CERTS}`,
      env: process.env,
      runs: [] as TimedRun[],
    }));
    arms.push(cliWith, nodeWith);
    withExtraCaCerts = { cli: cliWith.runs, node: nodeWith.runs };
  }
  for (let round = 0; round < rounds; round++) {
    const order = [...arms.slice(round % arms.length), ...arms.slice(0, round % arms.length)];
    for (const arm of order) {
      const run = await succeed(`start-up (${arm.what})`, measureProcess('node', arm.args, arm.env));
      arm.runs.push(timed(run));
    }
  }
  return {
    input: STARTUP_SAMPLE,
    cli: cliArm.runs,
    inProcess: runnerArm.runs,
    node: nodeArm.runs,
    ...(withExtraCaCerts === undefined ? {} : { withExtraCaCerts }),
  };
}

/** Generates (or reuses) the simulated feeds of each size, then runs bench/openDataBench.ts on them in its own process. */
async function runOpenData(options: BenchOptions): Promise<OpenDataSizeResult[]> {
  const directories = [];
  for (const evses of [...options.openDataEvses].sort((a, b) => a - b)) {
    const generated = await ensureOpenDataFeeds(options.dataDir, { evses, seed: options.seed });
    const { manifest } = generated;
    log(
      `open data, ${evses} EVSEs: ${manifest.feeds.length} feeds, ${manifest.pages} pages, ` +
        `${(manifest.bytes / 1e6).toFixed(0)} MB ` +
        (generated.reused ? 'reused' : `generated in ${generated.generateSeconds.toFixed(0)} s`) +
        ` (${generated.directory})`,
    );
    directories.push(generated.directory);
  }
  if (options.openDataProfile !== undefined) await mkdir(options.openDataProfile, { recursive: true });
  const args: OpenDataBenchArgs = {
    directories,
    runs: options.openDataRuns,
    dataDir: options.dataDir,
    workerNodeArgs: options.workerNodeArgs,
    ...(options.openDataProfile === undefined ? {} : { profileDir: resolve(options.openDataProfile) }),
  };
  log('open data: starting Temporal, the feed servers and one worker process per run');
  return JSON.parse(
    await lastLineOf('bench/openDataBench.ts', [JSON.stringify(args)], 'open-data'),
  ) as OpenDataSizeResult[];
}

/** bench/endToEnd.ts in its own process, so its services and worker share nothing with this one. */
async function runEndToEnd(payload: string, expectedSha256: string, runs: number): Promise<EndToEndResult> {
  return JSON.parse(
    await lastLineOf('bench/endToEnd.ts', [payload, expectedSha256, String(runs)], 'end-to-end'),
  ) as EndToEndResult;
}

/** Runs a bench script in its own process (its log on our stderr) and returns the last line it printed. */
async function lastLineOf(script: string, args: string[], what: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (exitCode !== 0) throw new Error(`the ${what} benchmark failed (exit ${exitCode}); its log is above`);
  return stdout.trim().split('\n').at(-1) ?? '';
}

function partList(value: string): BenchPart[] {
  const parts = value.split(',').map((part) => part.trim());
  const unknown = parts.filter((part) => !BENCH_PARTS.includes(part as BenchPart));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown part ${unknown.join(', ')}: expected ${BENCH_PARTS.join(', ')}`);
  return parts as BenchPart[];
}

const program = new Command('bench')
  .description('benchmark the transform and the workflow; see BENCHMARKS.md')
  .option('--sizes <list>', 'comma-separated device counts', sizeList, [10_000, 100_000, 400_000, 1_000_000])
  .option(
    '--runs <n>',
    'rounds per measurement (the median counts; the anchors run once above 100k devices)',
    positiveInteger,
    5,
  )
  .option('--seed <n>', 'payload seed', positiveInteger, DEFAULT_SEED)
  .option('--edge-rate <r>', 'payload edge-case rate, 0 to 1', fraction, DEFAULT_EDGE_RATE)
  .option(
    '--anchor-max-devices <n>',
    'largest payload pandas and DuckDB are run on (they hold the whole document several times over)',
    positiveInteger,
    400_000,
  )
  .option('--e2e-devices <n>', 'payload size of the end-to-end comparison', positiveInteger, 100_000)
  .option('--no-e2e', 'skip the end-to-end comparison')
  .option('--only <parts>', `comma-separated parts to run: ${BENCH_PARTS.join(', ')}`, partList, [...BENCH_PARTS])
  .option(
    '--open-data-evses <list>',
    'comma-separated EVSE totals of the 60 simulated feeds',
    sizeList,
    [80_000, 800_000],
  )
  .option('--open-data-runs <n>', 'chargePointsEtl runs per open-data size (the best time counts)', positiveInteger, 1)
  .option('--open-data-profile <dir>', "write a CPU profile of the worker's open-data runs into this directory")
  .option(
    '--worker-node-args <args>',
    'space-separated Node options of the open-data worker, e.g. "--max-semi-space-size=4"',
    (value: string) => value.split(' ').filter(Boolean),
    [],
  )
  .option('--no-open-data', 'skip the open-data pipeline')
  .option('--data-dir <dir>', 'where generated payloads are kept and reused', 'bench/data')
  .option('--results <file>', 'where to write the results', 'bench/results.json')
  .option('--chart <file>', "where to write the anchors' chart (SVG)", 'bench/chart.svg')
  .action(main);

program.parseAsync().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
