import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Random } from '../generator/random';
import { simulatedFeeds, type BodyShape, type SimulatedFeed } from './feedSet';
import { generateLocation, type GeneratedLocation } from './ocpiLocation';

/** Bumped whenever the same options would give different bytes, so stale cached feeds are regenerated. */
export const OPEN_DATA_GENERATOR_VERSION = 1;

export interface OpenDataOptions {
  /** EVSE objects in all the feeds' bodies together. */
  evses: number;
  seed: number;
}

/** A page body on disk. */
export interface PageFile {
  /** Relative to the manifest's directory. */
  file: string;
  /** Location array elements. */
  items: number;
  bytes: number;
}

export interface FeedFiles {
  feed: SimulatedFeed;
  pages: PageFile[];
  /** Location array elements over all pages: the X-Total-Count. */
  items: number;
}

/** What the transform must count over all the feeds (the generator's own count, sharing no code with src/). */
export interface OpenDataExpected {
  locationsSeen: number;
  evsesSeen: number;
  evsesRemoved: number;
  duplicatesDropped: number;
  evsesKept: number;
}

/** The generated feeds of one size, in catalogue order; written last, so its presence means the bodies are whole. */
export interface OpenDataManifest {
  generatorVersion: number;
  options: OpenDataOptions;
  feeds: FeedFiles[];
  pages: number;
  bytes: number;
  expected: OpenDataExpected;
}

export interface GeneratedFeeds {
  directory: string;
  manifest: OpenDataManifest;
  reused: boolean;
  generateSeconds: number;
}

/** Share of Locations repeated from the same feed's recent ones (paging shifted under the reader). */
const REPEAT_RATE = 0.01;
/** Share of Locations copied from an earlier feed (a roaming platform republishing another operator's sites). */
const CROSS_FEED_RATE = 0.005;
/** Recent Locations kept for repeats and copies; bounded, so memory does not grow with the size. */
const RECENT = 64;
const WRITE_BATCH_CHARS = 1 << 20;

/**
 * The simulated feeds for `options` under `dataDir`: reused when a complete set of
 * the same generator version and options is there, generated otherwise. Bodies
 * are streamed to disk page by page; the server streams them back.
 */
export async function ensureOpenDataFeeds(dataDir: string, options: OpenDataOptions): Promise<GeneratedFeeds> {
  const directory = join(dataDir, `open-data-${options.evses}-seed${options.seed}`);
  const manifestPath = join(directory, 'manifest.json');
  const cached = await readManifest(manifestPath);
  if (
    cached?.generatorVersion === OPEN_DATA_GENERATOR_VERSION &&
    JSON.stringify(cached.options) === JSON.stringify(options) &&
    (await pagesIntact(directory, cached))
  ) {
    return { directory, manifest: cached, reused: true, generateSeconds: 0 };
  }
  const started = Date.now();
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const manifest = await writeFeeds(directory, options);
  await writeFile(manifestPath, `${JSON.stringify(manifest)}\n`);
  return { directory, manifest, reused: false, generateSeconds: (Date.now() - started) / 1000 };
}

async function writeFeeds(directory: string, options: OpenDataOptions): Promise<OpenDataManifest> {
  const random = new Random(options.seed);
  const expected: OpenDataExpected = {
    locationsSeen: 0,
    evsesSeen: 0,
    evsesRemoved: 0,
    duplicatesDropped: 0,
    evsesKept: 0,
  };
  const keys = new Set<string>();
  const count = (location: GeneratedLocation): void => {
    expected.locationsSeen += 1;
    for (const evse of location.evses) {
      expected.evsesSeen += 1;
      if (evse.removed) expected.evsesRemoved += 1;
      else if (keys.has(evse.key)) expected.duplicatesDropped += 1;
      else {
        keys.add(evse.key);
        expected.evsesKept += 1;
      }
    }
  };

  const earlierFeeds: GeneratedLocation[] = [];
  const feeds: FeedFiles[] = [];
  for (const feed of simulatedFeeds(options.evses, options.seed)) {
    await mkdir(join(directory, feed.id));
    const recent: GeneratedLocation[] = [];
    const pages: PageFile[] = [];
    let page: PageWriter | undefined;
    let items = 0;
    let generated = 0;
    for (let left = feed.evses; left > 0;) {
      const copy = random.chance(REPEAT_RATE)
        ? recent[random.int(recent.length)]
        : random.chance(CROSS_FEED_RATE)
          ? earlierFeeds[random.int(earlierFeeds.length)]
          : undefined;
      const location =
        copy !== undefined && copy.evses.length <= left ? copy : generateLocation(random, feed, generated++, left);
      if (location !== copy) {
        recent.push(location);
        if (recent.length > RECENT) recent.shift();
      }
      if (page === undefined || page.items === feed.pageSize) {
        if (page !== undefined) pages.push(await page.close());
        page = new PageWriter(
          directory,
          `${feed.id}/page-${String(pages.length + 1).padStart(4, '0')}.json`,
          feed.shape,
        );
      }
      await page.add(location.json);
      count(location);
      items += 1;
      left -= location.evses.length;
    }
    page ??= new PageWriter(directory, `${feed.id}/page-0001.json`, feed.shape);
    pages.push(await page.close());
    feeds.push({ feed, pages, items });
    // A few of this feed's Locations stay available for later feeds to copy.
    for (const location of recent.slice(-RECENT / 4)) earlierFeeds.push(location);
    if (earlierFeeds.length > RECENT) earlierFeeds.splice(0, earlierFeeds.length - RECENT);
  }
  const allPages = feeds.flatMap((feed) => feed.pages);
  return {
    generatorVersion: OPEN_DATA_GENERATOR_VERSION,
    options,
    feeds,
    pages: allPages.length,
    bytes: allPages.reduce((sum, page) => sum + page.bytes, 0),
    expected,
  };
}

/** One page body streamed to its file: the shape's opening, the Locations comma-separated, its closing. */
class PageWriter {
  items = 0;
  private readonly stream: WriteStream;
  private batch: string;

  constructor(
    directory: string,
    private readonly file: string,
    private readonly shape: BodyShape,
  ) {
    this.stream = createWriteStream(join(directory, file));
    this.batch = shape === 'body' ? '[' : shape === 'data' ? '{"data":[' : '{"locations":[';
  }

  async add(json: string): Promise<void> {
    this.batch += this.items === 0 ? json : `,${json}`;
    this.items += 1;
    if (this.batch.length >= WRITE_BATCH_CHARS) {
      if (!this.stream.write(this.batch)) await once(this.stream, 'drain');
      this.batch = '';
    }
  }

  async close(): Promise<PageFile> {
    const closing =
      this.shape === 'body'
        ? ']'
        : this.shape === 'data'
          ? '],"status_code":1000,"status_message":"Success","timestamp":"2026-12-01T00:00:00Z"}'
          : `],"count":${this.items}}`;
    this.stream.end(this.batch + closing);
    await finished(this.stream);
    return { file: this.file, items: this.items, bytes: this.stream.bytesWritten };
  }
}

async function readManifest(path: string): Promise<OpenDataManifest | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as OpenDataManifest;
  } catch {
    return undefined;
  }
}

async function pagesIntact(directory: string, manifest: OpenDataManifest): Promise<boolean> {
  for (const { pages } of manifest.feeds) {
    for (const page of pages) {
      if ((await stat(join(directory, page.file)).catch(() => undefined))?.size !== page.bytes) return false;
    }
  }
  return true;
}
