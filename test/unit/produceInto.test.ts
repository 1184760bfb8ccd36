import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { produceInto } from '../../src/streams/produceInto';
import { runOfflineCli } from '../support/cliProcess';

const SAMPLE = join(__dirname, '..', 'fixtures', 'ncr-public-sample.json');

describe('produceInto: a producer writing into a store write', () => {
  it('returns the producer result once the write has taken everything', async () => {
    const output = new PassThrough();
    const written = text(output);
    const result = await produceInto(output, written, async () => {
      output.end('a,b\n');
      return 'stats';
    });
    expect(result).toBe('stats');
    expect(await written).toBe('a,b\n');
  });

  it('reports a write that fails first, and stops the producer, with no unhandled rejection', async () => {
    const output = new PassThrough();
    const storeError = new Error('put file:/x failed: ENOSPC');
    const written = Promise.reject(storeError);
    const producer = produceInto(output, written, async () => {
      for (let i = 0; i < 100 && !output.destroyed; i++) {
        output.write('row\n');
        await sleep(1);
      }
      if (output.destroyed) throw new Error('write after destroy');
      return 'stats';
    });
    await expect(producer).rejects.toBe(storeError);
    expect(output.destroyed).toBe(true);
  });

  it('reports a producer that fails first, and fails the write so no partial object is kept', async () => {
    const output = new PassThrough();
    const written = text(output);
    const payloadError = new Error('not a registry payload');
    await expect(
      produceInto(output, written, async () => {
        output.write('partial');
        throw payloadError;
      }),
    ).rejects.toBe(payloadError);
    await expect(written).rejects.toBe(payloadError);
  });
});

describe('uk-chargers transform with an output it cannot write', () => {
  it('prints one line and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'transform-output-'));
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, 'x');
    const result = await runOfflineCli(['transform', '--input', SAMPLE, '--output', join(notADirectory, 'out.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^uk-chargers: transform of .* failed: /);
  });
});
