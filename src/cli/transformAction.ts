import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { Readable, Writable } from 'node:stream';
import { DigestStream } from '../streams/digestStream';
import { UkChargersError } from '../domain/errors';
import type { BlobStore } from '../storage/blobStore';
import { FileStore } from '../storage/fileStore';
import { produceInto } from '../streams/produceInto';
import type { OpenDataPage } from '../transform/ocpi/pipeline';
import { transformPayload } from '../transform/pipeline';
import { CliError } from './cliError';
import type * as TransformOcpiPipelineModule from '../transform/ocpi/pipeline';
import type * as SourceHttpSourceModule from '../source/httpSource';

export interface TransformOptions {
  input: string[];
  output: string;
  json?: boolean;
  format: 'ncr' | 'ocpi';
  operator?: string;
}

/**
 * V8 doubles the young generation (from 1 MiB to 16 MiB per semi-space) as objects
 * survive it, and a transform's rows all survive: at a million devices that growth
 * is about 30 MB of the command's peak RSS. Once both semi-spaces together reach
 * this size, enough that collecting them costs little, the command stops the
 * growth (BENCHMARKS.md); V8 reads the flag each time it would grow the space.
 */
const YOUNG_GENERATION_CAP_BYTES = 4 * 1024 * 1024;

/** Called as the input is read (every MiB): stops the young generation's growth at YOUNG_GENERATION_CAP_BYTES. */
function youngGenerationCap(): () => void {
  let capped = false;
  return () => {
    if (capped) return;
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (newSpace !== undefined && newSpace.space_size < YOUNG_GENERATION_CAP_BYTES) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    capped = true;
  };
}

/** `uk-chargers transform`: the transform rules applied to local or http(s) input, without Temporal. */
export async function transformAction(options: TransformOptions): Promise<void> {
  if (options.format === 'ocpi') {
    await transformOpenDataInputs(options);
    return;
  }
  if (options.input.length > 1)
    throw new CliError('--input is given more than once: only --format ocpi reads several pages');
  if (options.operator !== undefined) throw new CliError('--operator applies to --format ocpi only');
  const [input] = options.input;
  const { stats, path, sha256 } = await writeCsv(
    options.output,
    () => input,
    async (csv) => transformPayload(await openInput(input), csv, { onProgress: youngGenerationCap() }),
  );
  if (options.json) {
    console.log(JSON.stringify(stats));
  } else {
    console.log(
      `${path}: ${stats.rows} rows from ${stats.devicesKept} of ${stats.devicesSeen} devices ` +
        `(${stats.droppedNoModel} without model, ${stats.malformedRecords} malformed, ${stats.oversizedRecords} oversized), sha256 ${sha256}`,
    );
  }
}

/** The open-data transform of the pages of one feed, read one after another. */
async function transformOpenDataInputs(options: TransformOptions): Promise<void> {
  const feedName = options.operator;
  if (feedName === undefined)
    throw new CliError('--format ocpi needs --operator <name>, the Operator of Locations that name none');
  const { transformOpenData } = require('../transform/ocpi/pipeline') as typeof TransformOcpiPipelineModule;
  let current = options.input[0];
  async function* pages(name: string): AsyncGenerator<OpenDataPage> {
    for (const input of options.input) {
      current = input;
      yield { feedName: name, body: await openInput(input) };
    }
  }
  const { stats, path, sha256 } = await writeCsv(
    options.output,
    () => current,
    (csv) => transformOpenData(pages(feedName), csv),
  );
  if (options.json) {
    console.log(JSON.stringify(stats));
  } else {
    console.log(
      `${path}: ${stats.rows} rows from ${stats.evsesKept} of ${stats.evsesSeen} EVSEs in ${stats.locationsSeen} Locations ` +
        `(${stats.evsesRemoved} removed, ${stats.duplicatesDropped} duplicates, ${stats.malformedRecords} malformed), sha256 ${sha256}`,
    );
  }
}

/**
 * Writes what `produce` writes to the output file, atomically: a failed transform
 * leaves no file. Transform errors become one-line CLI errors naming `input()`,
 * the input being read when it failed.
 */
async function writeCsv<Stats>(
  output: string,
  input: () => string,
  produce: (csv: Writable) => Promise<Stats>,
): Promise<{ stats: Stats; path: string; sha256: string }> {
  const path = resolve(output);
  const store: BlobStore = new FileStore(dirname(path));
  const csv = new DigestStream();
  const written = store.put(basename(path), csv, { contentType: 'text/csv' });
  try {
    const stats = await produceInto(csv, written, () => produce(csv));
    return { stats, path, sha256: csv.sha256() };
  } catch (error) {
    if (error instanceof UkChargersError) throw new CliError(`transform of ${input()} failed: ${error.message}`);
    throw error;
  }
}

async function openInput(input: string): Promise<Readable> {
  if (/^https?:\/\//i.test(input)) {
    // Loaded here: the HTTP client (axios) would double the start-up of a transform of a local file.
    const { createHttpSource } = require('../source/httpSource') as typeof SourceHttpSourceModule;
    // The operator named this URL explicitly, so its host is the allowlist.
    const source = createHttpSource({ allowedHosts: [new URL(input).hostname] });
    const response = await source.open(input);
    if (response.notModified) throw new CliError(`${input} answered 304 Not Modified to an unconditional request`);
    return response.body;
  }
  const info = await stat(input).catch(() => undefined);
  if (!info) throw new CliError(`input file ${input} does not exist`);
  if (!info.isFile()) throw new CliError(`input ${input} is not a file`);
  // 1 MiB reads: the default 64 KiB costs measurable time in read syscalls on large payloads.
  return createReadStream(input, { highWaterMark: 1 << 20 });
}
