import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransformStats } from '../../src/domain/stats';
import type { chargerEtl } from '../../src/workflows';
import { CHARGER_ETL_WORKFLOW } from '../../src/workflows/definitions';
import { buildWorker, type BuiltWorker } from '../support/builtWorker';
import { startFaultyRegistry, type Fault, type FaultyRegistry } from '../support/faultyRegistry';
import { samplePayload } from '../support/registryPayload';
import { activityAttempts, failureOf } from '../support/runInspection';
import { createBucket, sharedMinio, sharedTemporal } from '../support/services';
import {
  startWorkerProcess,
  stopWorkerProcesses,
  workerS3Environment,
  type WorkerProcess,
} from '../support/workerProcess';

/**
 * Issue 8, point 2: the worker survives any registry response. One built worker, in a
 * process of its own as deployed, takes real chargerEtl runs of a corpus of hostile
 * responses; every run must end (fail non-retryably, naming the problem, or succeed),
 * and at the end the same process is still running, its peak RSS under 500 MB.
 * SOURCE_MAX_BYTES is lowered so that the compression bombs pass it quickly, yet stays
 * above the 300 MB bodies, which are generated as they are sent.
 */
const MAX_BYTES = 400 * 1024 * 1024;
const RSS_LIMIT_BYTES = 500 * 1024 * 1024;
const HUGE_VALUE_BYTES = 300 * 1024 * 1024;
const VALID = samplePayload();

type Expected =
  | { published: true; stats?: Partial<TransformStats> }
  | { failsIn: 'fetchData' | 'transform'; type: 'SourceError' | 'PayloadError'; message: RegExp }
  /** Fetched again up to three rounds in all, then failed: see the workflow. */
  | { truncated: RegExp };

interface HostileInput {
  name: string;
  /** Streams hundreds of MB through the worker: run alone, so the peak RSS is its own. */
  heavy?: boolean;
  /** Serves the response at `path` of the registry. */
  serve: (path: string) => void;
  expected: Expected;
}

let registry: FaultyRegistry;
let built: BuiltWorker;
let worker: WorkerProcess;
let connection: Connection;
let client: Client;
let bucket: string;

/** A response with this body, its length declared, as application/json. */
function body(bytes: Buffer | string): HostileInput['serve'] {
  return (path) => registry.serve(path, { body: bytes, contentType: 'application/json' });
}

/** A complete response whose body claims to be gzip-encoded (the HEAD probe and the GET each take one). */
function gzipEncoded(bytes: Buffer): HostileInput['serve'] {
  const fault: Fault = {
    status: 200,
    contentType: 'application/json',
    headers: { 'Content-Encoding': 'gzip' },
    body: bytes,
  };
  return (path) => registry.failNext(path, [fault, fault]);
}

/** A device holding a HUGE_VALUE_BYTES string in `field`, sent chunked as it is generated. */
function hugeValue(field: string): HostileInput['serve'] {
  const head = `{"ChargeDevice":[{"ChargeDeviceModel":"Small","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ"}}},{"ChargeDeviceModel":"Kept","${field}":"`;
  const filler = Buffer.alloc(1024 * 1024, 'x');
  function* chunks(): Generator<Buffer> {
    yield Buffer.from(head);
    for (let sent = 0; sent < HUGE_VALUE_BYTES; sent += filler.length) yield filler;
    yield Buffer.from('"}]}');
  }
  return (path) => registry.serveStream(path, () => Readable.from(chunks(), { objectMode: false }));
}

/** `length` bytes that look random but are the same on every run. */
function seededBytes(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  let block = createHash('sha256').update(seed).digest();
  for (let total = 0; total < length; total += block.length) {
    blocks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** A small body that inflates to 512 MiB of whitespace: gzip members of 16 MiB each, concatenated. */
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024, ' '));
  return Buffer.concat(Array.from({ length: 32 }, () => member));
}

function corpus(): HostileInput[] {
  const notAnObject = (kind: string): Expected => ({
    failsIn: 'transform',
    type: 'PayloadError',
    message: new RegExp(
      `^not a registry payload: the document is ${kind}, expected an object; the registry at \\S+ sent Content-Type application/json, starting: `,
    ),
  });
  const invalidJson: Expected = {
    failsIn: 'transform',
    type: 'PayloadError',
    message: /^invalid JSON at byte \d+: expected .*; the registry at \S+ sent Content-Type/,
  };
  const gzipped = gzipSync(VALID);
  const corruptGzip = Buffer.from(gzipped);
  corruptGzip[corruptGzip.length - 6] ^= 0xff; // the CRC-32 in the trailer
  const bomb = gzipBomb();
  // This seed's first byte is 0xc2: neither markup nor the start of a JSON value.
  const random = seededBytes('hostile corpus', 64 * 1024);

  return [
    { name: 'a JSON array as the document', serve: body('[1,2,3]'), expected: notAnObject('an array') },
    { name: 'a string as the document', serve: body('"ChargeDevice"'), expected: notAnObject('a string') },
    { name: 'a number as the document', serve: body('42'), expected: notAnObject('a number') },
    { name: 'null as the document', serve: body('null'), expected: notAnObject('null') },
    { name: 'true as the document', serve: body('true'), expected: notAnObject('true') },
    {
      name: 'an empty body',
      serve: body(''),
      expected: { truncated: /^the payload is empty: expected a JSON document$/ },
    },
    ...Array.from({ length: 64 }, (_, length): HostileInput => ({
      name: `the first ${length} bytes of a valid payload`,
      serve: body(VALID.subarray(0, length)),
      expected: {
        truncated: length === 0 ? /^the payload is empty/ : new RegExp(`^the payload ends early at byte ${length}: `),
      },
    })),
    { name: '64 KiB of seeded random bytes', serve: body(random), expected: invalidJson },
    {
      name: 'invalid UTF-8 inside a device field',
      serve: body(Buffer.from('{"ChargeDevice":[{"ChargeDeviceModel":"Bad \xff\xfe end"}]}', 'latin1')),
      expected: { published: true, stats: { devicesKept: 1 } },
    },
    {
      name: 'invalid UTF-8 between values',
      serve: body(Buffer.from('{"ChargeDevice":[\xff]}', 'latin1')),
      expected: invalidJson,
    },
    {
      name: 'UTF-16 with its byte order mark',
      serve: body(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID.toString('utf8'), 'utf16le')])),
      expected: invalidJson,
    },
    { name: 'a NUL byte between values', serve: body('{"ChargeDevice":[\u0000]}'), expected: invalidJson },
    {
      name: 'a NUL byte inside a string',
      serve: body('{"ChargeDevice":[{"ChargeDeviceModel":"a\u0000b"}]}'),
      expected: invalidJson,
    },
    {
      name: '1,000,000 nested arrays inside a device',
      serve: body(
        `{"ChargeDevice":[{"ChargeDeviceModel":"Deep","Nested":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}]}`,
      ),
      expected: { published: true, stats: { devicesKept: 1 } },
    },
    {
      heavy: true,
      name: 'a 300 MB string in a field the transform reads',
      serve: hugeValue('ChargeDeviceManufacturer'),
      expected: { published: true, stats: { devicesSeen: 2, devicesKept: 1, oversizedRecords: 1 } },
    },
    {
      heavy: true,
      name: 'a 300 MB string in a field the transform ignores',
      serve: hugeValue('ChargeDeviceName'),
      expected: { published: true, stats: { devicesSeen: 2, devicesKept: 2, oversizedRecords: 0 } },
    },
    {
      name: 'numbers beyond double range (1e400, -1e400, 1e-400)',
      serve: body(
        '{"ChargeDevice":[{"ChargeDeviceModel":1e400,"LocationType":-1e400,"ChargeDeviceManufacturer":1e-400}]}',
      ),
      expected: { published: true, stats: { devicesKept: 1 } },
    },
    {
      name: 'a gzip payload cut short',
      serve: body(gzipped.subarray(0, gzipped.length - 10)),
      expected: { truncated: /^the gzip payload ends early after \d+ compressed bytes$/ },
    },
    {
      name: 'a corrupt gzip payload',
      serve: body(corruptGzip),
      expected: {
        failsIn: 'transform',
        type: 'PayloadError',
        message: /^invalid gzip data within the first \d+ compressed bytes: /,
      },
    },
    {
      name: 'a gzip bomb sent with Content-Encoding: gzip',
      heavy: true,
      serve: gzipEncoded(bomb),
      expected: {
        failsIn: 'fetchData',
        type: 'SourceError',
        message: new RegExp(`^decoded body from \\S+ exceeds the limit of ${MAX_BYTES} bytes$`),
      },
    },
    {
      name: 'a gzip bomb sent as the payload itself',
      heavy: true,
      serve: body(bomb),
      expected: {
        failsIn: 'transform',
        type: 'PayloadError',
        message: new RegExp(
          `^the gzip payload inflates past the limit of ${MAX_BYTES} bytes after \\d+ compressed bytes; `,
        ),
      },
    },
  ];
}

beforeAll(async () => {
  registry = await startFaultyRegistry();
  bucket = await createBucket();
  built = await buildWorker();
  worker = await startWorkerProcess({
    env: { ...workerS3Environment(sharedMinio()), SOURCE_MAX_BYTES: String(MAX_BYTES) },
    entry: built.entry,
  });
  // The corpus's peak, not start-up's.
  await worker.resetPeakRss();
  connection = await Connection.connect({ address: sharedTemporal().address });
  client = new Client({ connection, namespace: sharedTemporal().namespace });
});

afterAll(async () => {
  await stopWorkerProcesses();
  await built?.remove();
  await connection?.close();
  await registry?.close();
});

/** Runs of the corpus that have ended, so the last test knows the worker really took them all. */
let runsEnded = 0;

async function runEndsAsExpected(input: HostileInput): Promise<void> {
  await checkRunEnds(input);
  runsEnded += 1;
}

async function checkRunEnds(input: HostileInput): Promise<void> {
  const path = `/hostile-${randomBytes(4).toString('hex')}.json`;
  input.serve(path);
  const handle = await client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
    taskQueue: worker.taskQueue,
    workflowId: `hostile-${randomBytes(4).toString('hex')}`,
    args: [{ sourceUrl: registry.url(path), destination: `s3://${bucket}/${randomBytes(4).toString('hex')}/` }],
  });
  const { expected } = input;

  if ('published' in expected) {
    const report = await handle.result();
    expect(report.published).toBe(true);
    expect(report.stats).toMatchObject(expected.stats ?? {});
    return;
  }
  const failure = await failureOf(handle);
  const attempts = await activityAttempts(client, handle.workflowId);
  if ('truncated' in expected) {
    expect(failure).toMatchObject({ activityType: 'transform', type: 'TruncatedPayloadError' });
    expect(failure.message).toMatch(expected.truncated);
    expect(attempts).toEqual({ checkStatus: [1], fetchData: [1, 1, 1], transform: [1, 1, 1] });
    return;
  }
  expect(failure).toMatchObject({ activityType: expected.failsIn, type: expected.type, nonRetryable: true });
  expect(failure.message).toMatch(expected.message);
  expect(attempts[expected.failsIn]).toEqual([1]);
}

const CORPUS = corpus();

describe('hostile corpus', () => {
  // Several small runs at once on the one worker, as it would take them in production.
  describe.concurrent('small responses', () => {
    for (const input of CORPUS.filter((candidate) => !candidate.heavy)) {
      it(`the run ends as it should: ${input.name}`, () => runEndsAsExpected(input));
    }
  });

  describe('large responses, one at a time', () => {
    for (const input of CORPUS.filter((candidate) => candidate.heavy)) {
      it(`the run ends as it should: ${input.name}`, () => runEndsAsExpected(input));
    }
  });
});

describe('after the hostile corpus', () => {
  it('the worker process is the one that started, and its peak RSS stayed under 500 MB', async () => {
    expect(runsEnded, 'every run of the corpus ended on this worker').toBe(CORPUS.length);
    expect(() => process.kill(worker.pid, 0)).not.toThrow();
    expect(worker.output()).not.toContain("Unhandled 'error' event");
    expect(await worker.peakRssBytes()).toBeLessThan(RSS_LIMIT_BYTES);
  });
});
