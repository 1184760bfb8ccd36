import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Responses recorded from five operators' open-data feeds, with their licence (see its README.md). */
export const RECORDED_FEEDS_DIR = join(__dirname, '..', '..', 'assets', 'open-data');

/** One recorded HTTP exchange of a feed. */
export interface RecordedExchange {
  request: { method: string; url: string };
  response: { status_code: number; headers: Record<string, string>; body: unknown };
}

/** The exchange recorded in `path`, relative to RECORDED_FEEDS_DIR. */
export function recordedExchange(path: string): RecordedExchange {
  return JSON.parse(readFileSync(join(RECORDED_FEEDS_DIR, path), 'utf8')) as RecordedExchange;
}

/**
 * The response body of a recorded exchange as the feed sent it: the recording holds it
 * as parsed JSON, so it is serialised again (the same JSON value as the original bytes).
 */
export function recordedBody(path: string): Buffer {
  return Buffer.from(JSON.stringify(recordedExchange(path).response.body), 'utf8');
}
