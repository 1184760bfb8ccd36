import type { Writable } from 'node:stream';
import type { ChargePointStats } from '../../domain/chargePointStats';
import { ChargePointAggregator, type LocationBatch, type LocationBatchTarget } from './aggregate';
import { writeChargePointCsv } from './csv';
import { LocationScanner } from './locationScanner';

/** One response body, in chunks (bytes; strings are taken as UTF-8). */
export type PageBody = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** One response body of a feed. */
export interface OpenDataPage {
  /** The feed's `name`: the Operator of Locations that name none. */
  feedName: string;
  body: PageBody;
}

/**
 * Reads one page body into a target. Its Location array counts only once the
 * whole body has proved valid (end()), so a page that fails adds nothing.
 */
export class PageReader {
  private readonly scanner: LocationScanner<LocationBatch>;

  constructor(
    private readonly target: LocationBatchTarget,
    feedName: string,
  ) {
    this.scanner = new LocationScanner(() => target.startBatch(feedName));
  }

  /** The next piece of the body; throws PayloadError at the first invalid byte. */
  write(chunk: Buffer | string): void {
    this.scanner.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }

  /** Validates the whole page (see LocationScanner.end) and adds its Locations. */
  end(): void {
    this.target.commit(this.scanner.end());
  }
}

/** Reads one whole page body of the feed named `feedName` into the target. */
export async function readPage(target: LocationBatchTarget, feedName: string, body: PageBody): Promise<void> {
  const reader = new PageReader(target, feedName);
  for await (const chunk of body) reader.write(chunk);
  reader.end();
}

/**
 * The open-data transform in one pass: reads the pages in order (feeds in catalogue
 * order, each feed's pages in page order), then writes charge_points_UK.csv to
 * `output`, which is ended. Memory is bounded by the distinct rows and dedupe keys,
 * not by the bodies. Rejects with PayloadError or TruncatedPayloadError at the
 * first bad page, before anything is written.
 */
export async function transformOpenData(
  pages: AsyncIterable<OpenDataPage> | Iterable<OpenDataPage>,
  output: Writable,
): Promise<ChargePointStats> {
  const aggregator = new ChargePointAggregator();
  for await (const page of pages) await readPage(aggregator, page.feedName, page.body);
  const { stats, rows } = aggregator.finish();
  await writeChargePointCsv(rows, output);
  return stats;
}
