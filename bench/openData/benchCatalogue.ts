import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { FeedServers } from './feedServers';
import type { OpenDataManifest } from './writeFeeds';

/**
 * Writes the worker's FEEDS_FILE for the simulated feeds, in catalogue order:
 * each feed on its own local server, no gap between requests and no hourly
 * budget (the bench measures the pipeline, not the operators' rate limits).
 */
export async function writeBenchCatalogue(
  path: string,
  manifest: OpenDataManifest,
  servers: FeedServers,
): Promise<void> {
  const feeds = manifest.feeds.map(({ feed }) => ({
    id: feed.id,
    name: feed.name,
    url: servers.urlOf(feed.id),
    paging: feed.cataloguePaging,
    ...(feed.cataloguePaging === 'offset' ? { pageSize: feed.pageSize } : {}),
    minIntervalMs: 0,
  }));
  const header = `# Simulated feeds of the open-data benchmark (bench/openData), ${manifest.options.evses} EVSEs, seed ${manifest.options.seed}.\n`;
  await writeFile(path, header + stringify({ feeds }));
}
