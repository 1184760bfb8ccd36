import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ChargePointStats } from '../../domain/chargePointStats';
import { ChargePointAggregator, type ChargePointRow, type LocationBatch } from './aggregate';
import { chargePointCsvChunks } from './csv';
import { LocationScanner } from './locationScanner';

/** One response body of a feed, in chunks (bytes; strings are taken as UTF-8). */
export interface OpenDataPage {
  /** The feed's `name`: the Operator of Locations that name none. */
  feedName: string;
  body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
}

/**
 * Reads one page body into the aggregator. Its Location array counts only once the
 * whole body has proved valid (end()), so a page that fails adds nothing.
 */
export class PageReader {
  private readonly scanner: LocationScanner<LocationBatch>;

  constructor(
    private readonly aggregator: ChargePointAggregator,
    feedName: string,
  ) {
    this.scanner = new LocationScanner(() => aggregator.startBatch(feedName));
  }

  /** The next piece of the body; throws PayloadError at the first invalid byte. */
  write(chunk: Buffer | string): void {
    this.scanner.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }

  /** Validates the whole page (see LocationScanner.end) and adds its Locations. */
  end(): void {
    this.aggregator.commit(this.scanner.end());
  }
}

/** Reads the pages in order (feeds in catalogue order, each feed's pages in page order) into the aggregator. */
async function readPages(
  aggregator: ChargePointAggregator,
  pages: AsyncIterable<OpenDataPage> | Iterable<OpenDataPage>,
): Promise<void> {
  for await (const page of pages) {
    const reader = new PageReader(aggregator, page.feedName);
    for await (const chunk of page.body) reader.write(chunk);
    reader.end();
  }
}

/**
 * The open-data transform: reads the pages in order, then writes
 * charge_points_UK.csv to `output`, which is ended. Memory is bounded by the
 * distinct rows and dedupe keys, not by the bodies. Rejects with PayloadError or
 * TruncatedPayloadError at the first bad page, before anything is written.
 */
export async function transformOpenData(
  pages: AsyncIterable<OpenDataPage> | Iterable<OpenDataPage>,
  output: Writable,
): Promise<ChargePointStats> {
  const aggregator = new ChargePointAggregator();
  await readPages(aggregator, pages);
  const { stats, rows } = aggregator.finish();
  await pipeline(Readable.from(csvBytes(rows), { objectMode: false }), output);
  return stats;
}

function* csvBytes(rows: Iterable<ChargePointRow>): Generator<Buffer> {
  for (const text of chargePointCsvChunks(rows)) yield Buffer.from(text, 'utf8');
}
