import { spawn } from 'node:child_process';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
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
} from './benchResults';
import { evaluateGoals } from './goals';
import { checkGnuTime, measureProcess } from './measureProcess';
import { ensurePayload } from './payloads';
import { formatReport } from './report';
import { benchmarkHugeValues } from './hugeValues';
import { benchmarkSize, type SizeResult } from './sizeBenchmark';
import { ensureOpenDataFeeds } from './openData/writeFeeds';

/**
 * `npm run bench [-- --sizes 10000,100000 --runs 3 --e2e-devices 100000 | --no-e2e]
 * [--only open-data --open-data-evses 80000,800000]`: builds, then measures the
 * offline transform against whole-document JSON.parse at each size, chargerEtl
 * against its activities called directly, and chargePointsEtl over 60 simulated
 * feeds with one worker; prints the tables and the goals, and writes
 * bench/results.json. See BENCHMARKS.md.
 */

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
  const started = loadavg();
  const outputDir = join(options.dataDir, 'out');
  await mkdir(outputDir, { recursive: true });
  const payloadOptions = (devices: number): PayloadOptions => ({
    devices,
    seed: options.seed,
    edgeRate: options.edgeRate,
    schemePosition: 'before',
  });

  let startup: BenchResults['startup'];
  const sizes: SizeResult[] = [];
  if (runs('transform')) {
    startup = await measureStartup(options, outputDir, payloadOptions(0));
    for (const devices of options.sizes) {
      const payload = await ensurePayload(options.dataDir, payloadOptions(devices));
      log(
        `${devices} devices: ${(payload.summary.bytes / 1e6).toFixed(0)} MB payload ` +
          (payload.reused ? 'reused' : `generated in ${payload.generateSeconds.toFixed(0)} s`) +
          ` (${payload.path})`,
      );
      sizes.push(await benchmarkSize(payload, options.runs, outputDir, log));
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

  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1e9),
      node: process.version,
      platform: process.platform,
    },
    options,
    startup,
    sizes,
    hugeValues,
    endToEnd,
    openData: openDataResults,
    goals: evaluateGoals(options.parts, sizes, hugeValues, endToEnd, openDataResults),
    loadAverage: { start: started, end: loadavg() },
  };
  await writeFile(options.results, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatReport(results));
  log(`wrote ${options.results}`);
}

/** Start-up cost: the CLI's and the in-process runner's transform of an empty registry. */
async function measureStartup(
  options: BenchOptions,
  outputDir: string,
  emptyOptions: PayloadOptions,
): Promise<NonNullable<BenchResults['startup']>> {
  log('start-up cost: transform of an empty registry');
  const empty = await ensurePayload(options.dataDir, emptyOptions);
  const startupRuns = [];
  const runnerRuns = [];
  for (let round = 0; round < options.runs; round++) {
    startupRuns.push(
      await measureProcess('node', [
        'dist/client.js',
        'transform',
        '--input',
        empty.path,
        '--output',
        join(outputDir, 'empty.csv'),
        '--json',
      ]),
    );
    runnerRuns.push(
      await measureProcess('node', ['bench/transformRunner.cjs', empty.path, join(outputDir, 'empty.csv')]),
    );
  }
  return {
    cliSeconds: Math.min(...startupRuns.map((run) => run.seconds)),
    cliPeakRssMb: Math.max(...startupRuns.map((run) => run.peakRssMb)),
    inProcessSeconds: Math.min(...runnerRuns.map((run) => run.seconds)),
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
  .option('--runs <n>', 'rounds per measurement (the best counts)', positiveInteger, 3)
  .option('--seed <n>', 'payload seed', positiveInteger, DEFAULT_SEED)
  .option('--edge-rate <r>', 'payload edge-case rate, 0 to 1', fraction, DEFAULT_EDGE_RATE)
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
  .action(main);

program.parseAsync().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
