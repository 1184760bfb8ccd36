import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { webUiRunUrl, type AppConfig } from '../config';
import type { ChargePointsProgress, ChargePointsReport } from '../domain/chargePointsRun';
import type { Progress, RunReport } from '../domain/runReport';
import { chargePointsProgressQuery, progressQuery } from '../workflows/definitions';
import {
  formatRunStatus,
  pendingActivityFacts,
  runFacts,
  withChargePointsReport,
  withReport,
  type RunningFeed,
  type RunStatus,
} from './runFacts';
import { failureSummary } from './runWorkflow';
import { withClient } from './temporalClient';

/** A query needs a worker to answer it; do not hang when none is polling. */
const QUERY_TIMEOUT_MS = 5_000;

export interface StatusOptions {
  runId?: string;
  json?: boolean;
}

/** `uk-chargers status`: where a run is, or how it ended. */
export function statusAction(workflowId: string, options: StatusOptions): Promise<void> {
  return withClient(async (client, config) => {
    const status = await runStatus(client, config, workflowId, options.runId);
    console.log(options.json ? JSON.stringify(status) : formatRunStatus(status));
  });
}

async function runStatus(
  client: Client,
  config: AppConfig,
  workflowId: string,
  runId: string | undefined,
): Promise<RunStatus> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const description = await handle.describe();
  let run = runFacts(description);
  const status: RunStatus = {
    run,
    progress: null,
    progressUnavailable: null,
    pendingActivities: pendingActivityFacts(description, client.options.loadedDataConverter.payloadConverter),
    failure: null,
    webUiUrl: webUiRunUrl(config, workflowId, description.runId) ?? null,
  };
  const chargePoints = run.dataset === 'charge-points';
  if (description.status.name === 'RUNNING') {
    try {
      if (chargePoints) {
        const progress = await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
          handle.query<ChargePointsProgress>(chargePointsProgressQuery),
        );
        status.chargePointsProgress = progress;
        status.runningFeeds = await runningFeeds(client, workflowId, progress.running);
      } else {
        status.progress = await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
          handle.query<Progress>(progressQuery),
        );
      }
    } catch (error) {
      status.progressUnavailable = `the progress query failed (${error instanceof Error ? error.message : String(error)}); is a worker polling task queue ${description.taskQueue}?`;
    }
    return status;
  }
  // A closed run's result is in its history: no worker needed.
  try {
    const result: unknown = await client.workflow.getHandle(workflowId, description.runId).result();
    run = chargePoints
      ? withChargePointsReport(run, result as ChargePointsReport)
      : withReport(run, result as RunReport);
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    status.failure = `${description.status.name.toLowerCase()}${failureSummary(error)}`;
  }
  return { ...status, run };
}

/** The running feeds' children (`<workflowId>-feed-<feedId>`) with their pending activities; one that has just ended is left out. */
async function runningFeeds(client: Client, workflowId: string, feeds: readonly string[]): Promise<RunningFeed[]> {
  const payloadConverter = client.options.loadedDataConverter.payloadConverter;
  const described = await Promise.all(
    feeds.map(async (feed): Promise<RunningFeed | undefined> => {
      const childId = `${workflowId}-feed-${feed}`;
      try {
        const description = await client.workflow.getHandle(childId).describe();
        return { feed, workflowId: childId, pendingActivities: pendingActivityFacts(description, payloadConverter) };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      }
    }),
  );
  return described.filter((feed) => feed !== undefined);
}
