import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExpectedAggregate } from '../../bench/generator/expectedAggregate';
import { GENERATOR_VERSION, registryText } from '../../bench/generator/syntheticRegistry';
import { writePayload } from '../../bench/generator/writePayload';
import { generate } from './generator-helpers';

/** sha256 of generate({ devices: 300, seed: 7, edgeRate: 0.2 }) at GENERATOR_VERSION 1. */
const PINNED_SHA256 = '7d89083e3a3f6532548d6b0a1f4f02a16e5db272fec6c9f06d51f294cfee1c85';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

describe('synthetic payload generator: determinism', () => {
  const directory = mkdtemp(join(tmpdir(), 'generator-'));
  afterAll(async () => rm(await directory, { recursive: true, force: true }));

  it('gives the same bytes for the same seed and options, and different bytes for another seed', () => {
    const first = generate({ devices: 500, seed: 42, edgeRate: 0.1 }).text;
    expect(generate({ devices: 500, seed: 42, edgeRate: 0.1 }).text).toBe(first);
    expect(generate({ devices: 500, seed: 43, edgeRate: 0.1 }).text).not.toBe(first);
  });

  it('is pinned: a change to the output must bump GENERATOR_VERSION, which invalidates cached benchmark payloads', () => {
    // Update both together: bench/data/ reuses a payload only when the version matches.
    expect(GENERATOR_VERSION).toBe(1);
    expect(sha256(generate({ devices: 300, seed: 7, edgeRate: 0.2 }).text)).toBe(PINNED_SHA256);
  });

  it('streams to a file exactly the text it generates, and writes the expected CSV it summarises', async () => {
    const options = { devices: 2_000, seed: 5, edgeRate: 0.05, schemePosition: 'after' as const };
    const path = join(await directory, 'payload.json');
    const csvPath = join(await directory, 'expected.csv');
    const summary = await writePayload(options, path, csvPath);

    const expected = new ExpectedAggregate();
    const text = [...registryText(options, (device) => expected.add(device.expected))].join('');
    const written = await readFile(path);
    expect(written.equals(Buffer.from(text))).toBe(true);
    expect(summary.bytes).toBe(written.length);
    const csv = await readFile(csvPath);
    expect(csv.toString('utf8')).toBe(expected.csv());
    expect(summary.expected).toEqual({ stats: expected.stats(), csvBytes: csv.length, csvSha256: sha256(csv) });
    expect(summary).toMatchObject({ generatorVersion: GENERATOR_VERSION, options });
  });
});
