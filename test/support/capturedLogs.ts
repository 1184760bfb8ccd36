import type { Readable } from 'node:stream';
import { Runtime } from '@temporalio/worker';
import { beforeEach } from 'vitest';
import { jsonLogger } from '../../src/logging';

/**
 * Setup file of the integration project (vitest.config.mts): what workers, the
 * SDKs and Node log while a test runs is kept here instead of printed, and
 * shown under the test only when it fails. A green run prints only vitest's lines.
 */

/** Lines logged since the current test's first beforeEach, each labelled with where it came from. */
const lines: string[] = [];

/** Keeps `line` for the report of the current test, should it fail. */
export function captureLine(source: string, line: string): void {
  lines.push(`[${source}] ${line}`);
}

/** Keeps a child process's output (its stdout or stderr) line by line, labelled `source`. */
export function captureStream(source: string, stream: Readable): void {
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) captureLine(source, line);
  });
  stream.once('end', () => {
    if (partial !== '') captureLine(source, partial);
  });
}

// In-process workers and connections log through the process-wide Temporal runtime, installed here before any
// test file creates one; `forward` routes the SDK core's own warnings to the same logger instead of stderr.
Runtime.install({
  logger: jsonLogger('info', (line) => captureLine('temporal', line)),
  telemetryOptions: { logging: { forward: {} } },
});

// Node prints process warnings (e.g. the AWS SDK's notice about Node versions) through its default listener.
for (const listener of process.listeners('warning')) process.off('warning', listener);
process.on('warning', (warning) => captureLine('process warning', `${warning.name}: ${warning.message}`));

beforeEach(({ onTestFailed }) => {
  lines.length = 0;
  onTestFailed(() => {
    if (lines.length > 0) console.error(`logs captured during the test (${lines.length} lines):\n${lines.join('\n')}`);
  });
});
