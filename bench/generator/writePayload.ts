import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { TransformStats } from '../../src/domain/stats';
import { ExpectedAggregate } from './expectedAggregate';
import { GENERATOR_VERSION, registryText, type PayloadOptions } from './syntheticRegistry';

/** What was generated, and what the transform must make of it. */
export interface PayloadSummary {
  generatorVersion: number;
  options: PayloadOptions;
  bytes: number;
  expected: { stats: TransformStats; csvBytes: number; csvSha256: string };
}

/** Text is handed to the file in pieces of about this many characters. */
const WRITE_BATCH_CHARS = 1 << 20;

/**
 * Streams a synthetic payload to `path` (through a temporary file renamed at the
 * end, so a half-written payload is never mistaken for a whole one), holding only
 * one batch of text at a time, and writes the expected CSV to `expectedCsvPath` if given.
 */
export async function writePayload(
  options: PayloadOptions,
  path: string,
  expectedCsvPath?: string,
): Promise<PayloadSummary> {
  const expected = new ExpectedAggregate();
  const partial = `${path}.partial`;
  const file = createWriteStream(partial);
  try {
    let batch = '';
    for (const piece of registryText(options, (device) => expected.add(device.expected))) {
      batch += piece;
      if (batch.length < WRITE_BATCH_CHARS) continue;
      if (!file.write(batch)) await once(file, 'drain');
      batch = '';
    }
    file.end(batch);
    await finished(file);
  } catch (error) {
    file.destroy();
    await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, path);

  const csv = Buffer.from(expected.csv(), 'utf8');
  if (expectedCsvPath !== undefined) await writeFile(expectedCsvPath, csv);
  return {
    generatorVersion: GENERATOR_VERSION,
    options,
    bytes: file.bytesWritten,
    expected: {
      stats: expected.stats(),
      csvBytes: csv.length,
      csvSha256: createHash('sha256').update(csv).digest('hex'),
    },
  };
}
