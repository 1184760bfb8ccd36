import { PassThrough } from 'node:stream';
import type { ChargePointStats } from '../../src/domain/chargePointStats';
import { transformOpenData } from '../../src/transform/ocpi/pipeline';
import { readBytes } from './generatedBody';

/**
 * charge_points_UK.csv and its stats as the offline transform makes them of the
 * feeds' page bodies, feeds in the order given (the catalogue's), pages in page order.
 */
export async function offlineChargePoints(
  feeds: readonly { name: string; pages: readonly Buffer[] }[],
): Promise<{ csv: Buffer; stats: ChargePointStats }> {
  const pages = feeds.flatMap((feed) => feed.pages.map((body) => ({ feedName: feed.name, body: [body] })));
  const out = new PassThrough();
  const [csv, stats] = await Promise.all([readBytes(out), transformOpenData(pages, out)]);
  return { csv, stats };
}
