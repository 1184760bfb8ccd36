import type { ScheduleDescription } from '@temporalio/client';
import { webUiScheduleUrl } from '../../config';
import { overlapPolicyName } from '../../schedules/scheduleDefinition';
import { describeTiming, formatScheduleDescription } from '../../schedules/scheduleText';
import { datasetOfWorkflowType } from '../../workflows/datasets';
import { withClient } from '../temporalClient';

export interface DescribeOptions {
  id: string;
  json?: boolean;
}

/** `uk-chargers schedule describe`: timing, state, policies, input, recent and next runs. */
export function scheduleDescribeAction(options: DescribeOptions): Promise<void> {
  return withClient(async (client, config) => {
    const description = await client.schedule.getHandle(options.id).describe();
    const link = webUiScheduleUrl(config, options.id);
    console.log(
      options.json ? JSON.stringify(describedAsJson(description, link)) : formatScheduleDescription(description, link),
    );
  });
}

function describedAsJson(description: ScheduleDescription, webUiUrl: string | undefined): Record<string, unknown> {
  const { info, state, policies, action, spec } = description;
  return {
    scheduleId: description.scheduleId,
    paused: state.paused,
    note: state.note ?? null,
    timing: describeTiming(spec),
    timezone: spec.timezone ?? null,
    jitterMs: spec.jitter ?? 0,
    overlap: overlapPolicyName(policies.overlap),
    catchupWindowMs: policies.catchupWindow,
    workflowType: action.workflowType,
    dataset: datasetOfWorkflowType(action.workflowType) ?? null,
    taskQueue: action.taskQueue,
    input: action.args?.[0] ?? {},
    actionsTaken: info.numActionsTaken,
    actionsSkippedOverlap: info.numActionsSkippedOverlap,
    actionsMissedCatchupWindow: info.numActionsMissedCatchupWindow,
    runningWorkflowIds: info.runningActions.map((running) => running.workflow.workflowId),
    recentActions: info.recentActions.map((recent) => ({
      scheduledAt: recent.scheduledAt.toISOString(),
      takenAt: recent.takenAt.toISOString(),
      workflowId: recent.action.workflow.workflowId,
    })),
    nextActionTimes: info.nextActionTimes.map((time) => time.toISOString()),
    webUiUrl: webUiUrl ?? null,
  };
}
