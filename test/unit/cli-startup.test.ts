import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'assets', 'ncr-public-sample.json');
/** What a command that talks to neither Temporal nor S3 must not load: most of the CLI's start-up time and memory. */
const HEAVY = /node_modules\/@(temporalio|aws-sdk)\//;

/** Runs the CLI from source in one node process and returns the files of the modules it loaded. */
async function loadedModules(args: string[], dir: string): Promise<string[]> {
  const list = join(dir, 'loaded-modules.json');
  await promisify(execFile)(
    process.execPath,
    [
      '--require',
      join(ROOT, 'test', 'support', 'recordLoadedModules.cjs'),
      '--import',
      'tsx',
      'src/client.ts',
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, LOADED_MODULES_FILE: list } },
  );
  return JSON.parse(await readFile(list, 'utf8')) as string[];
}

describe('CLI start-up: a command loads its own modules only', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-startup-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('transform of a local file loads neither the Temporal client nor the AWS SDK', async () => {
    const modules = await loadedModules(
      ['transform', '--input', SAMPLE, '--output', join(dir, 'out.csv'), '--json'],
      dir,
    );
    // The record sees what the action loaded lazily, so an empty match below means something.
    expect(modules).toContainEqual(expect.stringMatching(/src\/cli\/transformAction\.ts$/));
    expect(modules.filter((file) => HEAVY.test(file))).toEqual([]);
    // Nor any other command's definition.
    expect(modules.filter((file) => /src\/cli\/.*Command\.ts$/.test(file))).toEqual([
      expect.stringMatching(/src\/cli\/transformCommand\.ts$/),
    ]);
  });

  it('--help loads neither', async () => {
    const modules = await loadedModules(['--help'], dir);
    expect(modules).toContainEqual(expect.stringMatching(/src\/cli\/program\.ts$/));
    expect(modules.filter((file) => HEAVY.test(file))).toEqual([]);
  });
});
