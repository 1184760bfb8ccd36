import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

/**
 * The representative chargerEtl runs whose histories `npm run record-histories`
 * (scripts/recordHistories.ts) records and test/unit/workflow-replay.test.ts replays.
 */
export const RECORDED_RUNS = [
  'published-to-s3',
  'unchanged-304',
  'truncated-refetched',
  'publish-refused',
  'source-404',
] as const;

export type RecordedRun = (typeof RECORDED_RUNS)[number];

export const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Histories of earlier workflow code, one subfolder each, kept while runs of that
 * code may still be in flight when a new worker takes them over:
 * - progress-signals: before progress moved to heartbeat details, when the
 *   workflow still received progressUpdate signals from its activities.
 * The top folder holds the current code's, which `npm run record-histories` rewrites.
 */
export const EARLIER_HISTORY_SETS = ['progress-signals'] as const;

export type HistorySet = (typeof EARLIER_HISTORY_SETS)[number] | 'current';

export function recordedHistoryPath(run: RecordedRun, set: HistorySet = 'current'): string {
  return join(HISTORIES_DIR, set === 'current' ? '' : set, `${run}.json`);
}

/** The recorded run's workflow ID: a history does not carry it, so the replay is given the same one. */
export function recordedWorkflowId(run: RecordedRun): string {
  return `chargerEtl-${run}`;
}

/** A recorded history, ready for the replayer, under a workflow ID unique across the sets. */
export function readRecordedHistory(run: RecordedRun, set: HistorySet = 'current'): Promise<HistoryAndWorkflowId> {
  const workflowId = set === 'current' ? recordedWorkflowId(run) : `${recordedWorkflowId(run)}@${set}`;
  return readHistoryFile(recordedHistoryPath(run, set), workflowId);
}

/**
 * The charge-points runs recorded, each as its chargePointsEtl parent and every
 * feedEtl child, under test/fixtures/histories/charge-points/<scenario>/:
 * - charge-points-published: Link-paged, offset-paged and single-response feeds,
 *   one disabled, one without its secret (skipped), published; a host gap timer;
 * - charge-points-stale: the run after one, a feed answering 404 stale from that
 *   run's snapshot, another retried after a 429's Retry-After (a timer);
 * - charge-points-no-feed: every feed failing, the run failing with NoFeedContributed.
 */
export const CHARGE_POINTS_SCENARIOS = [
  'charge-points-published',
  'charge-points-stale',
  'charge-points-no-feed',
] as const;

export type ChargePointsScenario = (typeof CHARGE_POINTS_SCENARIOS)[number];

/** The recorded catalogue's enabled feeds, in catalogue order: each gets a feedEtl child in every scenario. */
export const CHARGE_POINTS_CHILD_FEEDS = ['chargy', 'eco', 'jolt', 'geniepoint'] as const;

export const CHARGE_POINTS_HISTORIES_DIR = join(HISTORIES_DIR, 'charge-points');

/** The scenario's parent's workflow ID; its children's are `<parent>-feed-<feed id>`. */
export function chargePointsParentId(scenario: ChargePointsScenario): string {
  return scenario;
}

/** Every workflow the scenario records, the parent first: each has one history file (none continues as new). */
export function chargePointsWorkflowIds(scenario: ChargePointsScenario): string[] {
  const parent = chargePointsParentId(scenario);
  return [parent, ...CHARGE_POINTS_CHILD_FEEDS.map((feedId) => `${parent}-feed-${feedId}`)];
}

export function chargePointsHistoryPath(scenario: ChargePointsScenario, workflowId: string): string {
  return join(CHARGE_POINTS_HISTORIES_DIR, scenario, `${workflowId}.json`);
}

/** A recorded charge-points history (parent or child), ready for the replayer under its recorded workflow ID. */
export function readChargePointsHistory(
  scenario: ChargePointsScenario,
  workflowId: string,
): Promise<HistoryAndWorkflowId> {
  return readHistoryFile(chargePointsHistoryPath(scenario, workflowId), workflowId);
}

async function readHistoryFile(path: string, workflowId: string): Promise<HistoryAndWorkflowId> {
  try {
    return { workflowId, history: historyFromJson(JSON.parse(await readFile(path, 'utf8'))) };
  } catch (error) {
    throw new Error(
      `reading the recorded history ${path} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/*
 * Recorded histories are ProtoJSON, the format of `temporal workflow show --output json`.
 * Not @temporalio/common's historyToJSON/historyFromJSON: in this dependency tree
 * @temporalio/common and @temporalio/proto each carry their own copy of protobufjs 8
 * (the top level holds 7 for @grpc/proto-loader), and they fail with "type must be a Type"
 * when handed the other copy's types. So convert with the protojson of the copy that
 * built @temporalio/proto's types.
 */
interface ProtoJson {
  toJson(type: typeof HistoryType, message: temporal.api.history.v1.History): unknown;
  fromJson(
    type: typeof HistoryType,
    json: unknown,
    options: { ignoreUnknownFields: boolean },
  ): temporal.api.history.v1.History;
}
const protoJson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
const HistoryType = temporal.api.history.v1.History;

export function historyToJson(history: History): unknown {
  return protoJson.toJson(HistoryType, HistoryType.fromObject(history));
}

export function historyFromJson(json: unknown): History {
  // Tolerates fields this SDK does not know, e.g. from a newer server.
  return protoJson.fromJson(HistoryType, json, { ignoreUnknownFields: true });
}
