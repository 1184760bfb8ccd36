import type { Client } from '@temporalio/client';
import type { ChargePointsManifest } from '../../src/domain/chargePointsManifest';
import type { FeedHealth, FeedResult } from '../../src/domain/chargePointsRun';
import type { BlobStore } from '../../src/storage/blobStore';
import { readBytes, readText } from './generatedBody';
import { historyText } from './runInspection';

/** The id of the `feedEtl` child of charge-points run `parentId` for feed `feedId`. */
export function feedChildId(parentId: string, feedId: string): string {
  return `${parentId}-feed-${feedId}`;
}

/** What a finished feed child returned to its parent. */
export function feedChildResult(client: Client, parentId: string, feedId: string): Promise<FeedResult> {
  return client.workflow.getHandle(feedChildId(parentId, feedId)).result() as Promise<FeedResult>;
}

/** The ids of the children the run started, from its history. */
export async function feedChildIds(client: Client, parentId: string): Promise<string[]> {
  const { events } = await client.workflow.getHandle(parentId).fetchHistory();
  return (events ?? []).flatMap((event) => {
    const id = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    return id ? [id] : [];
  });
}

/** The whole history of the run and of each of its children, as one text (see historyText). */
export async function runAndChildrenHistoryText(client: Client, parentId: string): Promise<string> {
  const ids = [parentId, ...(await feedChildIds(client, parentId))];
  return (await Promise.all(ids.map((id) => historyText(client, id)))).join('\n');
}

/** What a charge-points run published at a destination's stable keys. */
export interface PublishedChargePoints {
  csv: Buffer;
  manifest: ChargePointsManifest;
  feeds: FeedHealth[];
  /** The three objects as text, for searching. */
  text: string;
}

export async function readPublishedChargePoints(store: BlobStore): Promise<PublishedChargePoints> {
  const csv = await readBytes(await store.get('charge_points_UK.csv'));
  const manifestText = await readText(await store.get('charge_points_UK.manifest.json'));
  const feedsText = await readText(await store.get('charge_points_UK.feeds.json'));
  return {
    csv,
    manifest: JSON.parse(manifestText) as ChargePointsManifest,
    feeds: (JSON.parse(feedsText) as { feeds: FeedHealth[] }).feeds,
    text: [csv.toString('utf8'), manifestText, feedsText].join('\n'),
  };
}
