import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PayloadError, TruncatedPayloadError } from '../../src/domain/errors';
import { emptyStats } from '../../src/domain/stats';
import { transformPayload, type TransformProgress } from '../../src/transform/pipeline';
import { referenceTransform } from '../../src/transform/reference';
import {
  CSV_HEADER,
  CollectingWritable,
  SAMPLE_BYTES,
  SAMPLE_CSV,
  SAMPLE_PATH,
  device,
  registryJson,
  runPipeline,
  splitBytes,
} from './transform-helpers';

const SAMPLE_STATS = { ...emptyStats(), devicesSeen: 5, devicesKept: 3, droppedNoModel: 2, rows: 3 };
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** A readable that serves `head`, then never-ending filler, and records whether it was destroyed. */
function endlessInput(head: Buffer): Readable {
  let served = false;
  return new Readable({
    read() {
      this.push(served ? Buffer.alloc(64 * 1024, 0x20) : head);
      served = true;
    },
  });
}

describe('transformPayload', () => {
  it('turns the public sample file into the contract CSV and stats', async () => {
    const output = new CollectingWritable();
    const stats = await transformPayload(createReadStream(SAMPLE_PATH), output);
    expect(output.bytes.toString('utf8')).toBe(SAMPLE_CSV);
    expect(stats).toEqual(SAMPLE_STATS);
    expect(output.ended).toBe(true);
  });

  it('gives the same bytes as the reference implementation', async () => {
    const reference = referenceTransform(SAMPLE_BYTES.toString('utf8'));
    const streamed = await runPipeline(splitBytes(SAMPLE_BYTES, [1, 2, 3, 50]));
    expect(streamed).toEqual(reference);
  });

  it('is deterministic', async () => {
    const json = registryJson(
      Array.from({ length: 300 }, (_, index) =>
        device({
          model: `M${index % 7}`,
          manufacturer: `Z${index % 3}`,
          postcode: `tw${index % 9}2rq`,
          dateUpdated: `20${10 + (index % 12)}-0${1 + (index % 9)}-01`,
        }),
      ),
    );
    const first = await runPipeline([Buffer.from(json)]);
    const second = await runPipeline(splitBytes(Buffer.from(json), 17));
    expect(second).toEqual(first);
    expect(first.stats.rows).toBeGreaterThan(20);
  });

  it('gunzips input that starts with the gzip magic bytes, however it is chunked', async () => {
    const gzipped = gzipSync(SAMPLE_BYTES);
    expect(await runPipeline([gzipped])).toEqual({ csv: SAMPLE_CSV, stats: SAMPLE_STATS });
    expect(await runPipeline(splitBytes(gzipped, 1))).toEqual({ csv: SAMPLE_CSV, stats: SAMPLE_STATS });
    expect(await runPipeline(splitBytes(gzipSync(Buffer.concat([BOM, SAMPLE_BYTES])), [1, 1000]))).toEqual({
      csv: SAMPLE_CSV,
      stats: SAMPLE_STATS,
    });
  });

  it('strips a byte order mark from plain input', async () => {
    expect((await runPipeline([BOM.subarray(0, 1), Buffer.concat([BOM.subarray(1), SAMPLE_BYTES])])).csv).toBe(
      SAMPLE_CSV,
    );
  });

  it('accepts string chunks', async () => {
    expect((await runPipeline([SAMPLE_BYTES.toString('utf8')])).csv).toBe(SAMPLE_CSV);
  });

  it('writes just the header when no device is kept', async () => {
    const result = await runPipeline([Buffer.from('{"ChargeDevice":[{"ChargeDeviceModel":" "}]}')]);
    expect(result.csv).toBe(CSV_HEADER);
    expect(result.stats).toEqual({ ...emptyStats(), devicesSeen: 1, droppedNoModel: 1 });
  });

  it('rejects invalid JSON with a PayloadError naming the byte offset, and destroys the input', async () => {
    const input = endlessInput(Buffer.from('{"ChargeDevice":[{"a":tru}]}'));
    const output = new CollectingWritable();
    const error = await rejectionOf(transformPayload(input, output));
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).message).toBe("invalid JSON at byte 25: expected 'e' of true, found '}'");
    expect((error as PayloadError).details.byteOffset).toBe(25);
    expect(input.destroyed).toBe(true);
    expect(output.bytes.length).toBe(0);
  });

  it('stops reading at once when the document is not an object', async () => {
    const input = endlessInput(Buffer.from('[{"ChargeDevice":[]}'));
    const error = await rejectionOf(transformPayload(input, new CollectingWritable()));
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as Error).message).toBe('not a registry payload: the document is an array, expected an object');
    expect(input.destroyed).toBe(true);
  });

  it('rejects a truncated payload with TruncatedPayloadError', async () => {
    const error = await rejectionOf(runPipeline([SAMPLE_BYTES.subarray(0, 1000)]));
    expect(error).toBeInstanceOf(TruncatedPayloadError);
    expect((error as TruncatedPayloadError).details.byteOffset).toBe(1000);
    expect((error as TruncatedPayloadError).retryable).toBe(true);
  });

  it('rejects a truncated gzip stream with TruncatedPayloadError', async () => {
    const gzipped = gzipSync(SAMPLE_BYTES);
    const error = await rejectionOf(runPipeline([gzipped.subarray(0, gzipped.length - 10)]));
    expect(error).toBeInstanceOf(TruncatedPayloadError);
    expect((error as Error).message).toBe(`the gzip payload ends early after ${gzipped.length - 10} compressed bytes`);
  });

  it('rejects a gzip payload that inflates past maxGunzippedBytes, without inflating it all', async () => {
    // 64 MiB of whitespace after an open document: about 64 KiB of gzip.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"ChargeDevice":['), Buffer.alloc(64 * 1024 * 1024, ' ')]));
    const output = new CollectingWritable();
    const error = await rejectionOf(transformPayload(Readable.from([bomb]), output, { maxGunzippedBytes: 1_000_000 }));
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as Error).message).toMatch(
      /^the gzip payload inflates past the limit of 1000000 bytes after \d+ compressed bytes$/,
    );
    expect(output.bytes.length).toBe(0);
    // Within the limit the same payload is only truncated.
    expect(await rejectionOf(runPipeline([bomb], { maxGunzippedBytes: 65 * 1024 * 1024 }))).toBeInstanceOf(
      TruncatedPayloadError,
    );
  });

  it('rejects corrupt gzip data with PayloadError', async () => {
    const gzipped = Buffer.from(gzipSync(SAMPLE_BYTES));
    gzipped[gzipped.length - 6] ^= 0xff; // the CRC-32 in the trailer
    const error = await rejectionOf(runPipeline([gzipped]));
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as Error).message).toMatch(/^invalid gzip data within the first \d+ compressed bytes: /);
  });

  it('rejects a gzip stream whose JSON is invalid with the JSON error', async () => {
    const error = await rejectionOf(runPipeline([gzipSync(Buffer.from('{"ChargeDevice":[?]}'))]));
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as Error).message).toBe("invalid JSON at byte 17: expected a value or ']', found '?'");
  });

  it('passes errors of the input stream through unchanged', async () => {
    const failure = new Error('connection reset');
    const input = new Readable({
      read() {
        this.push(SAMPLE_BYTES.subarray(0, 100));
        this.destroy(failure);
      },
    });
    expect(await rejectionOf(transformPayload(input, new CollectingWritable()))).toBe(failure);
  });

  it('rejects empty input as truncated', async () => {
    const error = await rejectionOf(runPipeline([]));
    expect(error).toBeInstanceOf(TruncatedPayloadError);
    expect((error as Error).message).toBe('the payload is empty: expected a JSON document');
  });

  it('respects backpressure from a slow output and ends it', async () => {
    const devices = Array.from({ length: 3000 }, (_, index) => device({ model: 'X', postcode: `P${index}` }));
    const output = new CollectingWritable(1, 16);
    const stats = await transformPayload(Readable.from([Buffer.from(registryJson(devices))]), output);
    expect(output.ended).toBe(true);
    const csv = output.bytes.toString('utf8');
    expect(csv.split('\n')).toHaveLength(3000 + 2);
    expect(stats.rows).toBe(3000);
  });

  it('reports progress about every MiB of input', async () => {
    const oneDevice = JSON.stringify(device({ model: 'X', postcode: 'TW6 2RQ', manufacturer: 'M'.repeat(2000) }));
    const count = 10_000;
    const json = Buffer.from(`{"ChargeDevice":[${Array.from({ length: count }, () => oneDevice).join(',')}]}`);
    const reports: TransformProgress[] = [];
    const result = await runPipeline(splitBytes(json, 64 * 1024), { onProgress: (progress) => reports.push(progress) });
    expect(result.stats.devicesSeen).toBe(count);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.length).toBeLessThanOrEqual(Math.ceil(json.length / (1024 * 1024)));
    for (let k = 1; k < reports.length; k++) {
      expect(reports[k].bytesRead).toBeGreaterThan(reports[k - 1].bytesRead);
      expect(reports[k].devicesSeen).toBeGreaterThan(reports[k - 1].devicesSeen);
    }
    expect(reports.at(-1)!.bytesRead).toBeLessThanOrEqual(json.length);
  });
});
