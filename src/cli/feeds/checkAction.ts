import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../config';
import type { FeedDefinition } from '../../domain/feed';
import { createFeedSource, type FeedSource } from '../../feeds/feedSource';
import { FileStore } from '../../storage/fileStore';
import { CliError } from '../cliError';

/** How one feed answered its first page. */
type CheckOutcome =
  | {
      id: string;
      outcome: 'ok';
      status: number;
      durationMs: number;
      shape: string;
      items: number;
      bytes: number;
      nextPage: boolean;
    }
  | { id: string; outcome: 'skipped'; secretEnv: string }
  | { id: string; outcome: 'failed'; error: string };

/** `uk-chargers feeds check`: page 1 of each chosen feed, one line per feed. */
export async function feedsCheckAction(options: { id?: string; json?: boolean }): Promise<void> {
  const config = loadConfig();
  const { feeds: catalogue } = config.feeds.catalogue;
  const chosen =
    options.id === undefined
      ? catalogue.filter((feed) => feed.enabled)
      : catalogue.filter((feed) => feed.id === options.id);
  if (chosen.length === 0) {
    throw new CliError(
      options.id === undefined
        ? 'no feed is enabled in the catalogue'
        : `no feed ${options.id} in ${config.feeds.catalogue.path} (feeds: ${catalogue.map((feed) => feed.id).join(', ')})`,
    );
  }
  const source = createFeedSource({
    connectTimeoutMs: config.sourceConnectTimeoutMs,
    idleTimeoutMs: config.sourceIdleTimeoutMs,
    maxBodyBytes: config.sourceMaxBytes,
  });
  const dir = await mkdtemp(join(tmpdir(), 'uk-chargers-feeds-check-'));
  let failed = 0;
  try {
    const store = new FileStore(dir);
    const lastRequestAt = new Map<string, number>();
    for (const feed of chosen) {
      await keepInterval(feed, lastRequestAt);
      const result = await checkFeed(source, feed, store);
      if (result.outcome === 'failed') failed += 1;
      console.log(options.json ? JSON.stringify(result) : formatOutcome(result));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (failed > 0) throw new CliError(`${failed} of ${chosen.length} feeds failed`);
}

/** Waits until the feed's host has had no request for its minIntervalMs, and notes this one. */
async function keepInterval(feed: FeedDefinition, lastRequestAt: Map<string, number>): Promise<void> {
  const host = new URL(feed.url).host;
  const last = lastRequestAt.get(host);
  if (last !== undefined) await sleep(Math.max(0, last + feed.minIntervalMs - Date.now()));
  lastRequestAt.set(host, Date.now());
}

async function checkFeed(source: FeedSource, feed: FeedDefinition, store: FileStore): Promise<CheckOutcome> {
  try {
    const page = await source.fetchPage(feed, { store, key: `${feed.id}/page-1.json` });
    if (page.outcome === 'secret-missing') return { id: feed.id, outcome: 'skipped', secretEnv: page.secretEnv };
    return {
      id: feed.id,
      outcome: 'ok',
      status: page.status,
      durationMs: page.durationMs,
      shape: page.shape,
      items: page.items,
      bytes: page.bytes,
      nextPage: page.nextUrl !== undefined,
    };
  } catch (error) {
    // One line per feed, whatever the message holds.
    const message = error instanceof Error ? error.message : String(error);
    return { id: feed.id, outcome: 'failed', error: message.replace(/\s*\n\s*/g, ' ') };
  }
}

function formatOutcome(result: CheckOutcome): string {
  switch (result.outcome) {
    case 'ok':
      return (
        `${result.id}: ok, ${result.status} in ${result.durationMs} ms, ${result.items} Locations in ${result.shape}, ` +
        `${result.bytes} bytes, next page: ${result.nextPage ? 'yes' : 'no'}`
      );
    case 'skipped':
      return `${result.id}: skipped, ${result.secretEnv} is not set`;
    case 'failed':
      return `${result.id}: failed, ${result.error}`;
  }
}
