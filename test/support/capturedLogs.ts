import type { Readable } from 'node:stream';
import { beforeEach } from 'vitest';

/**
 * Setup file of both test projects (vitest.config.mts): what workers, the SDKs
 * and Node log while a test runs is kept here instead of printed, and shown
 * under the test only when it fails. A green run prints only vitest's lines.
 * The integration project also routes the Temporal runtime's logs here
 * (capturedTemporalLogs.ts).
 */

/** Lines logged since the current test's first beforeEach, each labelled with where it came from. */
const lines: string[] = [];

/** Keeps `line` for the report of the current test, should it fail. */
export function captureLine(source: string, line: string): void {
  lines.push(`[${source}] ${line}`);
}

/** The lines captured so far in the current test, for tests that search the logs. */
export function capturedLines(): readonly string[] {
  return lines;
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

// Node prints process warnings (e.g. the AWS SDK's notice about Node versions) through its default listener.
for (const listener of process.listeners('warning')) process.off('warning', listener);
process.on('warning', (warning) => captureLine('process warning', `${warning.name}: ${warning.message}`));

beforeEach(({ onTestFailed }) => {
  lines.length = 0;
  onTestFailed(() => {
    if (lines.length > 0) console.error(`logs captured during the test (${lines.length} lines):\n${lines.join('\n')}`);
  });
});
