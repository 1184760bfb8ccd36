import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { LogLevel } from './config';

/**
 * Installs the process-wide Temporal runtime with a logger that writes one JSON
 * object per line to stderr (what log collectors ingest), at the configured
 * level. Must run before the first connection or worker is created.
 */
export function installJsonLogging(level: LogLevel): void {
  Runtime.install({ logger: jsonLogger(level) });
}

/**
 * The JSON-lines logger, for runtimes installed with more options (see
 * src/workerRuntime.ts); `writeLine` takes each line instead of stderr (tests
 * keep them for the report of a failing test).
 */
export function jsonLogger(level: LogLevel, writeLine: (line: string) => void = writeToStderr): DefaultLogger {
  return new DefaultLogger(level.toUpperCase() as Uppercase<LogLevel>, (entry) => writeLine(jsonLine(entry)));
}

function jsonLine({ level, message, meta, timestampNanos }: LogEntry): string {
  const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
  return JSON.stringify({ time, level: level.toLowerCase(), msg: message, ...meta }, jsonSafe);
}

function writeToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Errors and bigints do not survive JSON.stringify on their own. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
