import { describe, expect, it } from 'vitest';
import { MAX_FEED_PAGES, PageLoopGuard } from '../../src/domain/feed';
import { firstPageUrl, nextPageUrl, parseLinkHeader, type PagedAnswer } from '../../src/feeds/paging';
import { recordedExchange } from '../support/openDataFixtures';

/** A recorded exchange as paging sees it: its request URL, paging headers and item count. */
function answerOf(path: string, itemsBefore = 0): PagedAnswer {
  const { request, response } = recordedExchange(path);
  const body = response.body as { data?: unknown; locations?: unknown };
  const data = body.data as { locations?: { data?: unknown[] } } | unknown[] | undefined;
  const items = Array.isArray(data)
    ? data
    : Array.isArray(body.locations)
      ? body.locations
      : ((data as { locations?: { data?: unknown[] } }).locations?.data ?? []);
  const { link, 'x-total-count': totalCount, 'x-limit': limit } = response.headers;
  return { requestUrl: request.url, headers: { link, totalCount, limit }, items: items.length, itemsBefore };
}

describe('feed paging, on the recorded feeds', () => {
  it('follows char.gy Link rel="next" from page to page, and keeps the date_from form', () => {
    const page1 = answerOf('chargy/locations_page1.json');
    expect(nextPageUrl('auto', page1)).toBe('https://char.gy/open-ocpi/locations?limit=2&offset=2');
    expect(nextPageUrl('link', page1)).toBe('https://char.gy/open-ocpi/locations?limit=2&offset=2');
    expect(nextPageUrl('auto', answerOf('chargy/locations_page2.json', 2))).toBe(
      'https://char.gy/open-ocpi/locations?limit=2&offset=4',
    );
    expect(nextPageUrl('auto', answerOf('chargy/locations_since_page1.json'))).toBe(
      'https://char.gy/open-ocpi/locations?date_from=2026-10-07T21:00:00Z&limit=2&offset=2',
    );
  });

  it('pages char.gy by X-Total-Count / X-Limit when told to page by offset, ignoring its Link', () => {
    expect(nextPageUrl('offset', answerOf('chargy/locations_page2.json', 2))).toBe(
      'https://char.gy/open-ocpi/locations?limit=2&offset=4',
    );
  });

  it('ends GeniePoint after its one response: X-Limit 0 says nothing of more pages', () => {
    const genie = answerOf('geniepoint/locations_page1.json');
    expect(genie.headers).toMatchObject({ totalCount: '5', limit: '0' });
    expect(nextPageUrl('auto', genie)).toBeUndefined();
  });

  it("ignores Mer's Link to the WordPress API root (not rel=next)", () => {
    const mer = answerOf('mer_uk/data.json');
    expect(mer.headers.link).toBe('<https://uk.mer.eco/wp-json/>; rel="https://api.w.org/"');
    expect(nextPageUrl('auto', mer)).toBeUndefined();
    expect(nextPageUrl('link', mer)).toBeUndefined();
  });

  it('ends ChargePlace Scotland when it sent all it counts, and Jolt, which sends no paging headers', () => {
    const cps = answerOf('chargeplace_scotland/locations_page1.json');
    expect(cps).toMatchObject({ headers: { totalCount: '6', limit: '6' }, items: 6 });
    expect(nextPageUrl('auto', cps)).toBeUndefined();
    expect(nextPageUrl('auto', answerOf('jolt/locations.json'))).toBeUndefined();
  });

  it('asks for the next offset, with X-Limit, when X-Total-Count says more exist than received so far', () => {
    const cps = answerOf('chargeplace_scotland/locations_page1.json');
    const partial = { ...cps, headers: { totalCount: '20', limit: '6' } };
    expect(nextPageUrl('auto', partial)).toBe(
      'https://info.smartcharging.uk/public_feed/locations/2463?offset=6&limit=6',
    );
    expect(nextPageUrl('auto', { ...partial, itemsBefore: 12 })).toBe(
      'https://info.smartcharging.uk/public_feed/locations/2463?offset=18&limit=6',
    );
    expect(nextPageUrl('auto', { ...partial, itemsBefore: 14 })).toBeUndefined();
    expect(nextPageUrl('none', partial)).toBeUndefined();
    expect(nextPageUrl('link', partial)).toBeUndefined();
  });

  it('falls back to pageSize for the limit in offset paging only, and sends it from the first request', () => {
    const answer: PagedAnswer = {
      requestUrl: 'https://open-chargepoints.com/api/ocpi/cpo/2.2.1/locations?limit=1000',
      headers: { totalCount: '2500' },
      items: 1000,
      itemsBefore: 0,
    };
    expect(nextPageUrl('offset', answer, 1000)).toBe(
      'https://open-chargepoints.com/api/ocpi/cpo/2.2.1/locations?limit=1000&offset=1000',
    );
    expect(nextPageUrl('auto', answer, 1000)).toBeUndefined();
    const feed = { url: 'https://open-chargepoints.com/api/ocpi/cpo/2.2.1/locations', pageSize: 1000 };
    expect(firstPageUrl({ ...feed, paging: 'offset' })).toBe(answer.requestUrl);
    expect(firstPageUrl({ ...feed, paging: 'auto' })).toBe(feed.url);
  });

  it('resolves a relative next link against the request URL', () => {
    const answer: PagedAnswer = {
      requestUrl: 'https://feed.test/v1/locations?limit=2',
      headers: { link: '</v1/locations?limit=2&offset=2>; rel="next"' },
      items: 2,
      itemsBefore: 0,
    };
    expect(nextPageUrl('auto', answer)).toBe('https://feed.test/v1/locations?limit=2&offset=2');
    expect(nextPageUrl('auto', { ...answer, headers: { link: '<?page=3>; rel=next' } })).toBe(
      'https://feed.test/v1/locations?page=3',
    );
  });
});

describe('parseLinkHeader', () => {
  it('reads several links, quoted values holding commas and semicolons, and rel lists', () => {
    expect(
      parseLinkHeader(
        '<https://a.test/?x=1,2>; title="a, b; c"; rel="prev", <https://a.test/last>; REL="Last Next"; rel=ignored,' +
          ' junk, <https://a.test/api>; rel="https://api.w.org/"',
      ),
    ).toEqual([
      { target: 'https://a.test/?x=1,2', rels: ['prev'] },
      { target: 'https://a.test/last', rels: ['last', 'next'] },
      { target: 'https://a.test/api', rels: ['https://api.w.org/'] },
    ]);
    expect(parseLinkHeader('')).toEqual([]);
    expect(parseLinkHeader('<https://a.test/unterminated; rel=next')).toEqual([]);
  });
});

describe('PageLoopGuard', () => {
  it('stops a next page that points back at a page already fetched, naming the feed and the URL redacted', () => {
    const guard = new PageLoopGuard('chargy', 'https://char.gy/open-ocpi/locations');
    expect(guard.follow('https://char.gy/open-ocpi/locations?offset=2')).toBeUndefined();
    expect(guard.follow('https://char.gy/open-ocpi/locations?offset=4&apikey=S3CRET')).toBeUndefined();
    expect(guard.follow('https://char.gy/open-ocpi/locations?offset=4&apikey=S3CRET')).toBe(
      'feed chargy: paging loop: the next page https://char.gy/open-ocpi/locations?offset=4&apikey=REDACTED was already fetched (after 3 pages)',
    );
    expect(guard.follow('https://char.gy/open-ocpi/locations')).toMatch(/paging loop/);
    expect(guard.pages).toBe(3);
  });

  it(`stops after ${MAX_FEED_PAGES} pages`, () => {
    const guard = new PageLoopGuard('big', 'https://big.test/?page=1');
    for (let page = 2; page <= MAX_FEED_PAGES; page++)
      expect(guard.follow(`https://big.test/?page=${page}`)).toBeUndefined();
    expect(guard.follow('https://big.test/?page=10001')).toBe(
      `feed big: more than ${MAX_FEED_PAGES} pages, taken for a paging loop (next page https://big.test/?page=10001)`,
    );
  });
});
