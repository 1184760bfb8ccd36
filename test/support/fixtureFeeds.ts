import type { LocationArrayPath } from '../../src/domain/feed';
import type { CatalogueEntry } from './feedCatalogueFile';
import { splitEnvelope, type FeedServer } from './feedServer';
import { recordedBody, recordedExchange } from './openDataFixtures';

/** A feed the local feed server serves: its catalogue entry, and the bodies of its pages in page order. */
export interface ServedFeed {
  entry: CatalogueEntry;
  pages: Buffer[];
  /** Where each page holds its Location array. */
  shape: LocationArrayPath;
}

/** The secrets the credentialed fixture feeds demand; their variables are JOLT_API_KEY and ECO_TOKEN. */
export interface FixtureFeedSecrets {
  joltApiKey: string;
  ecoToken: string;
}

/**
 * Serves every recorded feed in its paging style, plus the two Location array
 * shapes no recorded feed has (a bare array, `data.locations`), each under
 * `/<id>/…`, with no gap between requests. In catalogue order.
 */
export function serveFixtureFeeds(server: FeedServer, secrets: FixtureFeedSecrets): ServedFeed[] {
  const entry = (id: string, name: string, path: string, more: Partial<CatalogueEntry> = {}): CatalogueEntry => ({
    id,
    name,
    url: server.url(path),
    minIntervalMs: 0,
    ...more,
  });

  const chargy = [recordedBody('chargy/locations_page1.json'), recordedBody('chargy/locations_page2.json')];
  server.serveLinkPages('/chargy/locations', chargy);

  const genie = recordedBody('geniepoint/locations_page1.json');
  const genieHeaders = recordedExchange('geniepoint/locations_page1.json').response.headers;
  server.serveResponse('/geniepoint/locations', genie, {
    headers: { 'X-Total-Count': genieHeaders['x-total-count'], 'X-Limit': genieHeaders['x-limit'] },
  });

  const mer = recordedBody('mer_uk/data.json');
  server.serveResponse('/mer_uk/data', mer, {
    headers: { Link: recordedExchange('mer_uk/data.json').response.headers.link },
  });

  const jolt = recordedBody('jolt/locations.json');
  server.serveResponse('/jolt/locations', jolt, { requires: { query: 'apiKey', secret: secrets.joltApiKey } });

  const cps = recordedBody('chargeplace_scotland/locations_page1.json');
  server.serveOffsetPages('/chargeplace_scotland/locations/2463', [cps]);

  const eco = splitEnvelope(cps, 4);
  server.serveOffsetPages('/eco/locations', eco, {
    requires: { header: 'Authorization', value: `Token ${secrets.ecoToken}` },
  });

  const since = recordedExchange('chargy/locations_since_page1.json').response.body as { data: unknown[] };
  const bare = Buffer.from(JSON.stringify(since.data));
  server.serveResponse('/chargy_bare/locations', bare);

  const joltLocations = recordedExchange('jolt/locations.json').response.body as { locations: unknown[] };
  const bundle = Buffer.from(JSON.stringify({ data: { locations: joltLocations.locations, tariffs: [] } }));
  server.serveResponse('/jolt_bundle/data', bundle);

  return [
    { entry: entry('chargy', 'char.gy', '/chargy/locations'), pages: chargy, shape: 'data' },
    { entry: entry('geniepoint', 'GeniePoint', '/geniepoint/locations'), pages: [genie], shape: 'data' },
    { entry: entry('mer_uk', 'Mer UK', '/mer_uk/data'), pages: [mer], shape: 'data.locations.data' },
    {
      entry: entry('jolt', 'Jolt', '/jolt/locations', { auth: { query: 'apiKey', secretEnv: 'JOLT_API_KEY' } }),
      pages: [jolt],
      shape: 'locations',
    },
    {
      entry: entry('chargeplace_scotland', 'ChargePlace Scotland', '/chargeplace_scotland/locations/2463'),
      pages: [cps],
      shape: 'data',
    },
    {
      entry: entry('eco', 'Eco feed', '/eco/locations', {
        paging: 'offset',
        pageSize: 4,
        auth: { header: 'Authorization', scheme: 'Token', secretEnv: 'ECO_TOKEN' },
      }),
      pages: eco,
      shape: 'data',
    },
    { entry: entry('chargy_bare', 'char.gy bare', '/chargy_bare/locations'), pages: [bare], shape: 'body' },
    { entry: entry('jolt_bundle', 'Jolt bundle', '/jolt_bundle/data'), pages: [bundle], shape: 'data.locations' },
  ];
}
