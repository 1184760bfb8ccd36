import { redactUrl, urlCarriesCredentials } from './redact';
import type { TransformStats } from './stats';

/** Input of the `chargerEtl` workflow; every field is optional and none may hold a secret. */
export interface ChargerEtlInput {
  /** Registry URL; defaults to the worker's SOURCE_URL. Must not carry credentials. */
  sourceUrl?: string;
  /** `s3://bucket/prefix/` or `file:DIR`; defaults to the worker's DESTINATION. */
  destination?: string;
  /** Publish even if the publish guard objects, and fetch even if the source is unchanged. */
  force?: boolean;
}

/**
 * Why `input` must not start a run, or undefined when it may. Inputs are stored in
 * workflow history and shown in the Web UI, so a URL carrying credentials is refused
 * (by the CLI before starting, by the workflow before using it); the message shows
 * the URL redacted and says where credentials belong.
 */
export function inputCredentialsProblem(input: ChargerEtlInput): string | undefined {
  const fields = [
    {
      name: 'sourceUrl',
      value: input.sourceUrl,
      fix: 'configure SOURCE_URL, with its credentials, on the worker and leave sourceUrl out of the input',
    },
    {
      name: 'destination',
      value: input.destination,
      fix: "the worker takes storage credentials from the AWS SDK's default chain",
    },
  ];
  for (const { name, value, fix } of fields) {
    if (value !== undefined && urlCarriesCredentials(value)) {
      return `${name} ${redactUrl(value)} carries credentials, and workflow inputs are visible in history and the Web UI: ${fix}`;
    }
  }
  return undefined;
}

export type Stage = 'starting' | 'checkStatus' | 'fetchData' | 'transform' | 'upload' | 'done' | 'failed';

/**
 * What the `progress` query returns: only what the workflow itself knows. The
 * running activity's counters travel as its heartbeat details (ActivityProgress),
 * read from the run's description, so they cost no history event.
 */
export interface Progress {
  stage: Stage;
  /** How many times the payload was fetched (a truncated payload triggers a re-fetch). */
  fetchRounds: number;
  /** Set when stage is 'failed'. */
  failedStage?: Stage;
  lastFailure?: string;
}

/** An activity's live counters: its heartbeat details, shown by `status`, `run` and the Web UI. */
export interface ActivityProgress {
  bytesFetched?: number;
  devicesProcessed?: number;
  /** What a multi-step activity (upload) is doing. */
  step?: string;
  /** A feed's page being fetched (1-based), and when its request was sent (epoch ms). */
  page?: number;
  sentAt?: number;
  /** Pages read so far by a feed's normalisation; feeds read so far by the merge. */
  pagesRead?: number;
  feedsMerged?: number;
}

export interface StageDurations {
  checkStatusMs: number;
  fetchDataMs: number;
  transformMs: number;
  uploadMs: number;
}

/** The workflow's result. */
export interface RunReport {
  workflowId: string;
  runId: string;
  /** Redacted source URL. */
  sourceUrl: string;
  destination: string;
  /** Decoded payload size. */
  rawBytes: number;
  rawSha256: string;
  stats: TransformStats;
  csv: { uri: string; sha256: string; bytes: number };
  manifestUri: string;
  stableUri: string;
  /** The stable key was replaced by this run. */
  published: boolean;
  /** The dataset equals the one already published, so the stable key was left alone. */
  unchanged: boolean;
  /** Why the stable key was or was not replaced (first publish, unchanged, superseded, …). */
  publishReason: string;
  durationsMs: StageDurations;
}
