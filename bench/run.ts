import { spawn } from 'node:child_process';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_EDGE_RATE, DEFAULT_SEED, type PayloadOptions } from './generator/syntheticRegistry';
import type { BenchOptions, BenchResults, EndToEndResult } from './benchResults';
import { evaluateGoals } from './goals';
import { checkGnuTime, measureProcess } from './measureProcess';
import { ensurePayload } from './payloads';
import { formatReport } from './report';
import { benchmarkHugeValues } from './hugeValues';
import { benchmarkSize, type SizeResult } from './sizeBenchmark';

/**
 * `npm run bench [-- --sizes 10000,100000 --runs 3 --e2e-devices 100000 | --no-e2e]`:
 * builds, then measures the offline transform against whole-document JSON.parse at
 * each size, chargerEtl against its activities called directly, prints the tables
 * and the goals, and writes bench/results.json. See BENCHMARKS.md.
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

async function main(options: BenchOptions): Promise<void> {
  await checkGnuTime();
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

  log('start-up cost: transform of an empty registry');
  const empty = await ensurePayload(options.dataDir, payloadOptions(0));
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
  const startup = {
    cliSeconds: Math.min(...startupRuns.map((run) => run.seconds)),
    cliPeakRssMb: Math.max(...startupRuns.map((run) => run.peakRssMb)),
    inProcessSeconds: Math.min(...runnerRuns.map((run) => run.seconds)),
  };

  const sizes: SizeResult[] = [];
  for (const devices of options.sizes) {
    const payload = await ensurePayload(options.dataDir, payloadOptions(devices));
    log(
      `${devices} devices: ${(payload.summary.bytes / 1e6).toFixed(0)} MB payload ` +
        (payload.reused ? 'reused' : `generated in ${payload.generateSeconds.toFixed(0)} s`) +
        ` (${payload.path})`,
    );
    sizes.push(await benchmarkSize(payload, options.runs, outputDir, log));
  }

  const hugeValues = await benchmarkHugeValues(options.dataDir, outputDir, log);

  let endToEnd: BenchResults['endToEnd'];
  if (options.e2e) {
    const payload = await ensurePayload(options.dataDir, payloadOptions(options.e2eDevices));
    log(`end to end at ${options.e2eDevices} devices: starting Temporal, MinIO, a worker and the registry stand-in`);
    endToEnd = {
      devices: options.e2eDevices,
      ...(await runEndToEnd(payload.path, payload.summary.expected.csvSha256, options.runs)),
    };
  }
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
    goals: evaluateGoals(sizes, hugeValues, endToEnd),
    loadAverage: { start: started, end: loadavg() },
  };
  await writeFile(options.results, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatReport(results));
  log(`wrote ${options.results}`);
}

/** bench/endToEnd.ts in its own process, so its services and worker share nothing with this one. */
async function runEndToEnd(payload: string, expectedSha256: string, runs: number): Promise<EndToEndResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/endToEnd.ts', payload, expectedSha256, String(runs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (exitCode !== 0) throw new Error(`the end-to-end benchmark failed (exit ${exitCode}); its log is above`);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as EndToEndResult;
}

const program = new Command('bench')
  .description('benchmark the transform and the workflow; see BENCHMARKS.md')
  .option('--sizes <list>', 'comma-separated device counts', sizeList, [10_000, 100_000, 400_000, 1_000_000])
  .option('--runs <n>', 'rounds per measurement (the best counts)', positiveInteger, 3)
  .option('--seed <n>', 'payload seed', positiveInteger, DEFAULT_SEED)
  .option('--edge-rate <r>', 'payload edge-case rate, 0 to 1', fraction, DEFAULT_EDGE_RATE)
  .option('--e2e-devices <n>', 'payload size of the end-to-end comparison', positiveInteger, 100_000)
  .option('--no-e2e', 'skip the end-to-end comparison')
  .option('--data-dir <dir>', 'where generated payloads are kept and reused', 'bench/data')
  .option('--results <file>', 'where to write the results', 'bench/results.json')
  .action(main);

program.parseAsync().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
