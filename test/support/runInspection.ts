import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { pendingActivityFacts, type PendingActivityFacts } from '../../src/cli/runFacts';
import type { Progress } from '../../src/domain/runReport';
import { progressQuery } from '../../src/workflows/definitions';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** How a run failed, as an operator reads it in `status`, the CLI and the Web UI. */
export interface RunFailure {
  /** The activity that failed, or undefined when the workflow itself refused to run. */
  activityType?: string;
  /** ApplicationFailure type (the error's code). */
  type?: string;
  nonRetryable: boolean;
  message: string;
}

/** Waits for the run and returns how it failed; throws if it succeeded or failed some other way. */
export async function failureOf(handle: WorkflowHandle): Promise<RunFailure> {
  const error = await handle.result().then(
    (result: unknown) => new Error(`expected the run to fail, it returned ${JSON.stringify(result)}`),
    (caught: unknown) => caught,
  );
  if (!(error instanceof WorkflowFailedError)) throw error;
  const activity = error.cause instanceof ActivityFailure ? error.cause : undefined;
  const failure = activity ? activity.cause : error.cause;
  if (!(failure instanceof ApplicationFailure)) throw error;
  return {
    activityType: activity?.activityType,
    type: failure.type ?? undefined,
    nonRetryable: failure.nonRetryable === true,
    message: failure.message,
  };
}

export function progressOf(handle: WorkflowHandle): Promise<Progress> {
  return handle.query(progressQuery);
}

/** The run's pending activity with its attempt, last failure and heartbeat counters, as `status` reads them. */
export async function runningActivity(handle: WorkflowHandle): Promise<PendingActivityFacts | undefined> {
  const description = await handle.describe();
  return pendingActivityFacts(description, handle.client.options.loadedDataConverter.payloadConverter)[0];
}

/** Waits until the run's `activity` has heartbeat at least one byte fetched. */
export function fetchingBytes(handle: WorkflowHandle, what = 'the run is downloading'): Promise<PendingActivityFacts> {
  return eventually(async () => {
    const running = await runningActivity(handle);
    return running?.activity === 'fetchData' && (running.progress?.bytesFetched ?? 0) > 0 && running;
  }, what);
}

async function historyEvents(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}

/**
 * The run's whole history as one string: every event and field, with payload
 * bytes decoded as UTF-8 (they hold JSON), as the Web UI would show it.
 */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  return eventsText(await historyEvents(client, workflowId));
}

/** As historyText, for events already at hand (e.g. a recorded history). */
export function eventsText(events: HistoryEvent[]): string {
  return JSON.stringify(events.map(decodeBytes));
}

/**
 * A copy of `node` with every byte array replaced by its UTF-8 text. (A JSON.stringify
 * replacer would not do: Buffer's toJSON turns the bytes into a list of numbers first.)
 */
function decodeBytes(node: unknown): unknown {
  if (node instanceof Uint8Array) return Buffer.from(node).toString('utf8');
  if (Array.isArray(node)) return node.map(decodeBytes);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, decodeBytes(value)]));
  }
  return node;
}

/** Each history event as text, with its kind (`workflowExecutionStarted`, …), for finding where something appears. */
export async function historyEventTexts(
  client: Client,
  workflowId: string,
): Promise<Array<{ type: string; text: string }>> {
  return (await historyEvents(client, workflowId)).map((event) => ({
    type:
      Object.entries(event)
        .find(([key, value]) => key.endsWith('EventAttributes') && value)?.[0]
        .replace(/EventAttributes$/, '') ?? '?',
    text: JSON.stringify(decodeBytes(event)),
  }));
}

/** For each activity type, the attempt number of every execution that ended (from ActivityTaskStarted events). */
export async function activityAttempts(client: Client, workflowId: string): Promise<Record<string, number[]>> {
  const events = await historyEvents(client, workflowId);
  const typeByScheduledId = new Map<string, string>();
  const attempts: Record<string, number[]> = {};
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeByScheduledId.set(String(event.eventId), scheduled.activityType?.name ?? '?');
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const type = typeByScheduledId.get(String(started.scheduledEventId)) ?? '?';
      (attempts[type] ??= []).push(started.attempt ?? 0);
    }
  }
  return attempts;
}

/**
 * For each activity type that needed retries, the last failure its final attempt
 * started after: what the Web UI shows as the activity's last failure.
 */
export async function activityLastFailures(client: Client, workflowId: string): Promise<Record<string, string[]>> {
  const events = await historyEvents(client, workflowId);
  const typeByScheduledId = new Map<string, string>();
  const failures: Record<string, string[]> = {};
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeByScheduledId.set(String(event.eventId), scheduled.activityType?.name ?? '?');
    const message = event.activityTaskStartedEventAttributes?.lastFailure?.message;
    if (message) {
      const type = typeByScheduledId.get(String(event.activityTaskStartedEventAttributes?.scheduledEventId)) ?? '?';
      (failures[type] ??= []).push(message);
    }
  }
  return failures;
}

/** Polls `probe` every 50 ms until it returns a value (not undefined or false), and returns it. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > giveUpAt) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
