import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { measureProcess } from './measureProcess';

/** 300 MiB: one value no CSV field could sensibly hold (issue 8, bounded fields). */
export const HUGE_VALUE_BYTES = 300 * 1024 * 1024;

/** A registry payload whose second device carries one huge string in `field`. */
export interface HugeValueCase {
  field: string;
  /** Whether the transform reads the field (then the device is skipped as oversized). */
  read: boolean;
}

export const HUGE_VALUE_CASES: readonly HugeValueCase[] = [
  { field: 'ChargeDeviceModel', read: true },
  { field: 'ChargeDeviceRef', read: false },
];

export interface HugeValueResult extends HugeValueCase {
  bytes: number;
  seconds: number;
  peakRssMb: number;
  devicesKept: number;
  oversizedRecords: number;
}

/** Writes the payload in 1 MiB chunks, so generating it holds no more than that. */
async function writeHugeValuePayload(path: string, { field }: HugeValueCase): Promise<number> {
  const out = createWriteStream(path);
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  out.write(
    '{"ChargeDevice":[{"ChargeDeviceModel":"Small","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ"}}},' +
      `{"ChargeDeviceModel":"Kept","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ"}},"${field}":"`,
  );
  for (let written = 0; written < HUGE_VALUE_BYTES; written += chunk.length) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end('"}]}');
  await once(out, 'finish');
  return (await stat(path)).size;
}

/** `node dist/client.js transform` of each case, whole process, once: time, peak RSS and what it kept. */
export async function benchmarkHugeValues(
  dataDir: string,
  outputDir: string,
  log: (line: string) => void,
): Promise<HugeValueResult[]> {
  const results: HugeValueResult[] = [];
  for (const hugeCase of HUGE_VALUE_CASES) {
    const path = join(dataDir, `huge-${hugeCase.field}.json`);
    const bytes = await writeHugeValuePayload(path, hugeCase);
    log(`a ${HUGE_VALUE_BYTES / 1024 / 1024} MiB string in ${hugeCase.field} (${hugeCase.read ? 'read' : 'ignored'})`);
    const run = await measureProcess('node', [
      'dist/client.js',
      'transform',
      '--input',
      path,
      '--output',
      join(outputDir, 'huge.csv'),
      '--json',
    ]);
    // Cheap to write again, and 300 MiB each: not kept with the reusable payloads.
    await rm(path);
    const stats = JSON.parse(run.stdout) as { devicesKept: number; oversizedRecords: number };
    results.push({ ...hugeCase, bytes, seconds: run.seconds, peakRssMb: run.peakRssMb, ...stats });
  }
  return results;
}
