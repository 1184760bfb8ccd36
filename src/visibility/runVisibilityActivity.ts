import { redactUrl } from '../domain/redact';

export interface RunVisibilityInput {
  /** The run's own source URL, when its input names one. */
  sourceUrl?: string;
}

/** What a starting run learns from its worker about how to make itself visible. */
export interface RunVisibility {
  /** The redacted source URL the run will read. */
  source: string;
  /** Whether this worker's namespace has the run search attributes registered (see searchAttributeCheck.ts). */
  searchAttributes: boolean;
}

/**
 * The `runVisibility` local activity: the workflow cannot read the worker's
 * settings, so it asks once at start. As a local activity its answer is
 * recorded in history, so a replay on a worker with other settings stays
 * deterministic.
 */
export function createRunVisibilityActivities(settings: { defaultSourceUrl: string; searchAttributes: boolean }) {
  return {
    async runVisibility(input: RunVisibilityInput): Promise<RunVisibility> {
      return {
        source: redactUrl(input.sourceUrl ?? settings.defaultSourceUrl),
        searchAttributes: settings.searchAttributes,
      };
    },
  };
}

export type RunVisibilityActivities = ReturnType<typeof createRunVisibilityActivities>;
