import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { DigestStream } from '../domain/digest';
import { UkChargersError } from '../domain/errors';
import { createHttpSource } from '../source/httpSource';
import type { BlobStore } from '../storage/blobStore';
import { FileStore } from '../storage/fileStore';
import { failStream } from '../streams';
import { transformPayload } from '../transform/pipeline';
import { CliError } from './cliError';

interface TransformOptions {
  input: string;
  output: string;
  json?: boolean;
}

export function registerTransformCommand(program: Command): void {
  program
    .command('transform')
    .description('apply the transform rules to a registry payload locally, without Temporal')
    .requiredOption('--input <path|url>', 'registry JSON file (optionally gzip-compressed) or http(s) URL')
    .requiredOption('--output <path>', 'where to write charger_models_UK.csv (replaced atomically)')
    .option('--json', 'print the stats as one JSON line on stdout')
    .action(async (options: TransformOptions) => {
      const input = await openInput(options.input);
      const output = resolve(options.output);
      const store: BlobStore = new FileStore(dirname(output));
      const csv = new DigestStream();
      const stored = store.put(basename(output), csv, { contentType: 'text/csv' });
      try {
        const stats = await transformPayload(input, csv);
        await stored;
        if (options.json) {
          console.log(JSON.stringify(stats));
        } else {
          console.log(
            `${output}: ${stats.rows} rows from ${stats.devicesKept} of ${stats.devicesSeen} devices ` +
              `(${stats.droppedNoModel} without model, ${stats.malformedRecords} malformed, ${stats.oversizedRecords} oversized), sha256 ${csv.sha256()}`,
          );
        }
      } catch (error) {
        failStream(csv, error);
        await stored.catch(() => undefined);
        if (error instanceof UkChargersError) throw new CliError(`transform of ${options.input} failed: ${error.message}`);
        throw error;
      }
    });
}

async function openInput(input: string): Promise<Readable> {
  if (/^https?:\/\//i.test(input)) {
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
