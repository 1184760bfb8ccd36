import type { TransformStats } from './stats';

/** File names and key layout inside a destination; the stable CSV key is what the microservice reads. */
export const CSV_FILE_NAME = 'charger_models_UK.csv';
export const MANIFEST_FILE_NAME = 'manifest.json';
export const STABLE_CSV_KEY = CSV_FILE_NAME;
/** The manifest of the currently published CSV, written right after the stable key. */
export const STABLE_MANIFEST_KEY = MANIFEST_FILE_NAME;

export function stagingPrefix(workflowId: string, runId: string): string {
  return `_staging/${safeSegment(workflowId)}/${safeSegment(runId)}/`;
}

export function historyPrefix(runStartedAt: string, runId: string): string {
  return `history/${runStartedAt.slice(0, 10)}/${safeSegment(runId)}/`;
}

/** Workflow IDs are free text; keep keys to one path segment of safe characters. */
function safeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9._=-]/g, '_');
}

/** What `manifest.json` holds; every field is part of the output contract. */
export interface Manifest {
  manifestVersion: 1;
  dataset: 'charger_models_UK';
  /** Redacted: never credentials. */
  sourceUrl: string;
  fetchedAt: string;
  source: { etag?: string; lastModified?: string };
  raw: { bytes: number; sha256: string };
  stats: TransformStats;
  csv: { key: string; uri: string; bytes: number; sha256: string };
  workflowId: string;
  runId: string;
  /** When the run started; orders overlapping runs so an older one never replaces a newer one. */
  runStartedAt: string;
  codeVersion: string;
}
