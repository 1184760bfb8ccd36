import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PagingMode } from '../../src/domain/feed';

/** One feed as written in a catalogue file (feeds/uk-operators.yaml's fields; src/feeds/catalogue.ts validates them). */
export interface CatalogueEntry {
  id: string;
  name: string;
  url: string;
  enabled?: boolean;
  paging?: PagingMode;
  pageSize?: number;
  auth?: { header: string; scheme?: string; secretEnv: string } | { query: string; secretEnv: string };
  minIntervalMs?: number;
  maxRequestsPerHour?: number;
}

/** A catalogue file of the test's own, for a worker's FEEDS_FILE. */
export interface FeedCatalogueFile {
  path: string;
  remove(): Promise<void>;
}

/** Writes `feeds`, in this order (the order of the published CSV), as a catalogue in a temp dir of its own. */
export async function writeFeedCatalogue(feeds: readonly CatalogueEntry[]): Promise<FeedCatalogueFile> {
  const dir = await mkdtemp(join(tmpdir(), 'uk-chargers-feeds-'));
  const path = join(dir, 'feeds.yaml');
  await writeFile(path, stringify({ feeds }));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
