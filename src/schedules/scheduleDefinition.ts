import type {
  ScheduleDescription,
  ScheduleOptions,
  ScheduleOptionsAction,
  ScheduleOverlapPolicy,
  ScheduleSpec,
  ScheduleUpdateOptions,
} from '@temporalio/client';
import type { ChargePointsEtlInput } from '../domain/chargePointsRun';
import type { ChargerEtlInput } from '../domain/runReport';
import { DATASET_WORKFLOWS, DEFAULT_DATASET, type DatasetName } from '../workflows/datasets';

export const DEFAULT_SCHEDULE_ID = 'uk-chargers-daily';
/** A run missed by up to an hour (server or worker outage) still happens; older ones are left to `schedule backfill`. */
export const DEFAULT_CATCHUP_WINDOW_MS = 60 * 60_000;

/** Overlap policies as the CLI spells them; `skip` is the default: a run still going means the next is not started. */
export const OVERLAP_POLICIES = [
  'skip',
  'buffer-one',
  'buffer-all',
  'cancel-other',
  'terminate-other',
  'allow-all',
] as const;
export type OverlapPolicyName = (typeof OVERLAP_POLICIES)[number];

export function overlapPolicy(name: OverlapPolicyName): ScheduleOverlapPolicy {
  return name.toUpperCase().replace(/-/g, '_') as ScheduleOverlapPolicy;
}

export function overlapPolicyName(policy: ScheduleOverlapPolicy): OverlapPolicyName {
  return (policy ?? 'SKIP').toLowerCase().replace(/_/g, '-') as OverlapPolicyName;
}

/** When runs happen: a cron expression or a fixed interval. */
export type ScheduleTiming = { cron: string } | { everyMs: number };

/** What a scheduled run is started with: the input of the dataset's workflow. */
export type ScheduledRunInput = ChargerEtlInput | ChargePointsEtlInput;

/** Everything `schedule create` decides. */
export interface ScheduleSettings {
  /** Which workflow the schedule starts; charger-models (chargerEtl) when absent. */
  dataset?: DatasetName;
  scheduleId: string;
  taskQueue: string;
  timing: ScheduleTiming;
  timezone?: string;
  jitterMs?: number;
  overlap: OverlapPolicyName;
  catchupWindowMs: number;
  input: ScheduledRunInput;
  paused: boolean;
}

/** What `schedule update` (and `create --update-if-exists`) changes; anything absent stays as it is. */
export interface ScheduleChanges {
  timing?: ScheduleTiming;
  timezone?: string;
  jitterMs?: number;
  overlap?: OverlapPolicyName;
  catchupWindowMs?: number;
  /** Start this dataset's workflow from now on (create --update-if-exists); the schedule's own when absent. */
  dataset?: DatasetName;
  /** Fields to set in the run input. */
  input?: ScheduledRunInput;
  /** Start from an empty input (the worker's defaults) before applying `input`. */
  resetInput?: boolean;
  taskQueue?: string;
  paused?: boolean;
}

/** The Temporal schedule that starts the dataset's workflow (chargerEtl or chargePointsEtl) with `settings`. */
export function scheduleOptions(settings: ScheduleSettings): ScheduleOptions {
  return {
    scheduleId: settings.scheduleId,
    spec: timingSpec(settings.timing, settings.timezone, settings.jitterMs),
    action: {
      type: 'startWorkflow',
      workflowType: DATASET_WORKFLOWS[settings.dataset ?? DEFAULT_DATASET],
      taskQueue: settings.taskQueue,
      // The server appends the scheduled time, so runs are named uk-chargers-daily-2025-01-31T06:00:00Z.
      workflowId: settings.scheduleId,
      args: [definedFields(settings.input)],
    },
    policies: { overlap: overlapPolicy(settings.overlap), catchupWindow: settings.catchupWindowMs },
    state: {
      paused: settings.paused,
      note: settings.paused ? 'created paused with uk-chargers schedule create' : undefined,
    },
  };
}

/** The schedule `previous` with `changes` applied, for ScheduleHandle.update. */
export function applyScheduleChanges(previous: ScheduleDescription, changes: ScheduleChanges): ScheduleUpdateOptions {
  const timezone = changes.timezone ?? previous.spec.timezone;
  const jitter = changes.jitterMs ?? previous.spec.jitter;
  const spec: ScheduleSpec = changes.timing
    ? { ...timingSpec(changes.timing, timezone, jitter), skip: previous.spec.skip }
    : { ...previous.spec, timezone, jitter };
  const previousInput = (previous.action.args?.[0] ?? {}) as ScheduledRunInput;
  const input = definedFields({ ...(changes.resetInput ? {} : previousInput), ...definedFields(changes.input ?? {}) });
  const action: ScheduleOptionsAction = {
    ...previous.action,
    workflowType: changes.dataset ? DATASET_WORKFLOWS[changes.dataset] : previous.action.workflowType,
    taskQueue: changes.taskQueue ?? previous.action.taskQueue,
    args: [input],
  };
  return {
    spec,
    action,
    policies: {
      overlap: changes.overlap ? overlapPolicy(changes.overlap) : previous.policies.overlap,
      catchupWindow: changes.catchupWindowMs ?? previous.policies.catchupWindow,
      pauseOnFailure: previous.policies.pauseOnFailure,
    },
    state: { ...previous.state, paused: changes.paused ?? previous.state.paused },
  };
}

function timingSpec(timing: ScheduleTiming, timezone: string | undefined, jitterMs: number | undefined): ScheduleSpec {
  return {
    ...('cron' in timing ? { cronExpressions: [timing.cron] } : { intervals: [{ every: timing.everyMs }] }),
    ...(timezone !== undefined && { timezone }),
    ...(jitterMs !== undefined && { jitter: jitterMs }),
  };
}

/** The input without absent fields, so the schedule shows exactly what it overrides. */
function definedFields(input: ScheduledRunInput): ScheduledRunInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
