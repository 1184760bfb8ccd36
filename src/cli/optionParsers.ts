import { InvalidArgumentError } from 'commander';
import { parseDurationMs } from '../domain/duration';
import { ConfigError } from '../domain/errors';
import { parseDestination } from '../storage/destination';
import { DATASETS, type DatasetName } from '../workflows/datasets';

/**
 * Parsers for option values, run by commander as it reads the command line,
 * so a bad value is reported with the option's name before anything connects.
 */

/** Durations as the temporal CLI writes them: `90s`, `15m`, `24h`, `1h30m`, `7d`. Returns milliseconds (> 0). */
export function parseDuration(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined)
    throw new InvalidArgumentError('expected a duration above zero such as 90s, 15m, 24h, 1h30m or 7d.');
  return ms;
}

/** A whole number of at least 1. */
export function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1.');
  }
  return number;
}

/**
 * An instant: `2025-01-31` (midnight UTC) or an ISO 8601 date-time with `Z` or
 * an offset. A date-time without a zone is refused rather than guessed.
 */
export function parseInstant(value: string): Date {
  const text = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text);
  const date = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if ((!dateOnly && !zoned) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      'expected a date (2025-01-31, midnight UTC) or a date-time with a zone (2025-01-31T06:00:00Z, 2025-01-31T06:00+01:00).',
    );
  }
  return date;
}

/** An IANA time zone name the runtime knows, e.g. Europe/London or UTC. */
export function parseTimeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new InvalidArgumentError('expected an IANA time zone such as Europe/London or UTC.');
  }
  return value;
}

/**
 * An http(s) URL. Whether it carries credentials is checked later, by the
 * command (inputCredentialsProblem), so that the refusal never echoes them.
 */
export function parseSourceUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http(s) URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http(s) URL.');
  return value;
}

/** s3://bucket/prefix/ or file:DIR, checked as the worker will check it. */
export function parseDestinationOption(value: string): string {
  try {
    parseDestination(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof ConfigError ? error.problems.join('; ') : String(error));
  }
  return value;
}

/** `charger-models` or `charge-points`. */
export function parseDataset(value: string): DatasetName {
  const dataset = DATASETS.find((name) => name === value.trim());
  if (dataset === undefined) throw new InvalidArgumentError(`expected ${DATASETS.join(' or ')}.`);
  return dataset;
}

/** For a repeatable option: each value is added to those before it. */
export function collectValues(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
