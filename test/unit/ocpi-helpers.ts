import { emptyChargePointStats, type ChargePointStats } from '../../src/domain/chargePointStats';
import { ChargePointAggregator } from '../../src/transform/ocpi/aggregate';
import { chargePointCsvChunks } from '../../src/transform/ocpi/csv';
import { PageReader } from '../../src/transform/ocpi/pipeline';
import { splitBytes } from './transform-helpers';

export const OCPI_CSV_HEADER = 'Operator,ParkingType,ConnectorTypes,SpeedCategory,PostCode,MonthUpdated,EVSEs\n';

export interface OpenDataOutput {
  csv: string;
  stats: ChargePointStats;
}

export interface FeedBodies {
  name: string;
  bodies: Buffer[];
}

/** The streaming transform driven synchronously, each body cut into pieces whose sizes cycle through `sizes`. */
export function transformFeeds(feeds: readonly FeedBodies[], sizes?: readonly number[]): OpenDataOutput {
  const aggregator = new ChargePointAggregator();
  for (const feed of feeds) {
    for (const body of feed.bodies) {
      const reader = new PageReader(aggregator, feed.name);
      for (const piece of splitBytes(body, sizes ?? (body.length || 1))) reader.write(piece);
      reader.end();
    }
  }
  const { stats, rows } = aggregator.finish();
  return { csv: [...chargePointCsvChunks(rows)].join(''), stats };
}

/** One feed named "Feed" whose one page is `body` (a JSON value, serialised, or text as it is). */
export function transformBody(body: unknown, feedName = 'Feed'): OpenDataOutput {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return transformFeeds([{ name: feedName, bodies: [bytes] }]);
}

/** Stats with every counter not named in `changes` zero. */
export function statsWith(changes: Partial<ChargePointStats>): ChargePointStats {
  return { ...emptyChargePointStats(), ...changes };
}

/** The data rows (no header) of the CSV of one page holding `locations` in an OCPI envelope. */
export function rowsOf(locations: unknown[], feedName = 'Feed'): string[] {
  return transformBody({ data: locations, status_code: 1000 }, feedName)
    .csv.slice(OCPI_CSV_HEADER.length)
    .split('\n')
    .slice(0, -1);
}
