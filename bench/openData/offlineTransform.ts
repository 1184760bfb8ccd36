import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ChargePointStats } from '../../src/domain/chargePointStats';
import { transformOpenData, type OpenDataPage } from '../../src/transform/ocpi/pipeline';
import type { OpenDataManifest } from './writeFeeds';

export interface OfflineCsv {
  sha256: string;
  bytes: number;
  stats: ChargePointStats;
  seconds: number;
}

/**
 * The offline transform (`transformOpenData`, what `uk-chargers transform --format
 * ocpi` runs) over the same page bodies the feeds serve, in catalogue order then
 * page order, each page named by its feed: the CSV every run must publish byte for byte.
 */
export async function offlineTransform(directory: string, manifest: OpenDataManifest): Promise<OfflineCsv> {
  const started = performance.now();
  const hash = createHash('sha256');
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback();
    },
  });
  function* pages(): Generator<OpenDataPage> {
    for (const { feed, pages: files } of manifest.feeds) {
      for (const page of files) {
        yield { feedName: feed.name, body: createReadStream(join(directory, page.file), { highWaterMark: 1 << 20 }) };
      }
    }
  }
  const stats = await transformOpenData(pages(), sink);
  return { sha256: hash.digest('hex'), bytes, stats, seconds: (performance.now() - started) / 1000 };
}
