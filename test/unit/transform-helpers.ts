import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { TransformStats } from '../../src/domain/stats';
import { DeviceAggregator } from '../../src/transform/aggregate';
import { formatCsv } from '../../src/transform/csv';
import { NcrScanner } from '../../src/transform/ncrScanner';
import { transformPayload, type TransformOptions } from '../../src/transform/pipeline';

export const CSV_HEADER = 'ChargeDeviceManufacturer,LocationType,ChargeDeviceModel,PostCode,MonthUpdated,Count\n';

export const SAMPLE_PATH = join(__dirname, '..', 'fixtures', 'ncr-public-sample.json');
export const SAMPLE_BYTES = readFileSync(SAMPLE_PATH);

export const SAMPLE_CSV =
  CSV_HEADER +
  'APT,Public car park,Raption,RG1 2LU,2020-01,1\n' +
  'Other,Leisure centre,CPE200T-S-CHD-CMB,DH1 2HJ,2020-02,1\n' +
  'Other,Leisure centre,CPE200T-S-CHD-CMB,RM16 6YJ,2017-11,1\n';

export interface TransformOutput {
  csv: string;
  stats: TransformStats;
}

/** Splits bytes into pieces whose sizes cycle through `sizes` (a number means fixed-size pieces). */
export function splitBytes(bytes: Buffer, sizes: number | readonly number[]): Buffer[] {
  const cycle = typeof sizes === 'number' ? [sizes] : sizes;
  const pieces: Buffer[] = [];
  for (let start = 0, k = 0; start < bytes.length; k++) {
    const size = Math.max(1, cycle[k % cycle.length]);
    pieces.push(bytes.subarray(start, start + size));
    start += size;
  }
  return pieces;
}

/** The scanner and aggregator driven synchronously over the given pieces (no streams). */
export function scanPieces(pieces: readonly Buffer[]): TransformOutput {
  const aggregator = new DeviceAggregator();
  const scanner = new NcrScanner(aggregator);
  for (const piece of pieces) scanner.write(piece);
  scanner.end();
  const { stats, rows } = aggregator.finish();
  return { csv: formatCsv(rows), stats };
}

export function scanBytes(bytes: Buffer, sizes: number | readonly number[] = bytes.length || 1): TransformOutput {
  return scanPieces(splitBytes(bytes, sizes));
}

/** Collects everything written to it; `ended` once the writer has ended it. */
export class CollectingWritable extends Writable {
  private readonly pieces: Buffer[] = [];
  ended = false;

  constructor(
    private readonly delayMs = 0,
    highWaterMark?: number,
  ) {
    super({ highWaterMark });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pieces.push(chunk);
    if (this.delayMs > 0) setTimeout(callback, this.delayMs);
    else callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.ended = true;
    callback();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.pieces);
  }
}

/** The whole pipeline over `pieces` delivered as a stream. */
export async function runPipeline(
  pieces: readonly (Buffer | string)[],
  options?: TransformOptions,
): Promise<TransformOutput> {
  const output = new CollectingWritable();
  const stats = await transformPayload(Readable.from(pieces), output, options);
  return { csv: output.bytes.toString('utf8'), stats };
}

/** A registry payload around `devices`, in the fixture's shape. */
export function registryJson(devices: unknown[]): string {
  return JSON.stringify({ Scheme: { SchemeCode: 'NA' }, ChargeDevice: devices });
}

/** A device with the fields the transform reads. */
export function device(fields: {
  manufacturer?: unknown;
  locationType?: unknown;
  model?: unknown;
  postcode?: unknown;
  dateUpdated?: unknown;
}): Record<string, unknown> {
  return {
    ChargeDeviceId: 'id',
    ChargeDeviceLocation: { Latitude: '51.5', Address: { PostTown: 'Town', PostCode: fields.postcode } },
    ChargeDeviceManufacturer: fields.manufacturer,
    ChargeDeviceModel: fields.model,
    DateUpdated: fields.dateUpdated,
    LocationType: fields.locationType,
    Connector: [{ ConnectorId: '1', RatedOutputkW: '22.0' }],
  };
}

/** Runs `action` and returns what it threw; fails when it does not throw. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error to be thrown');
}
