import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runOfflineCli } from '../support/cliProcess';
import { FeedServer, serveRecordedFeeds } from '../support/feedServer';

const JOLT_KEY = 'JOLT-SENTINEL-c41d';
const ECO_TOKEN = 'ECO-SENTINEL-0be9';

let server: FeedServer;
let feedsFile: string;

beforeAll(async () => {
  server = await FeedServer.start();
  const entries = serveRecordedFeeds(server, { joltApiKey: JOLT_KEY, ecoToken: ECO_TOKEN });
  entries.push(
    { id: 'gone', name: 'Gone', url: server.url('/gone/locations'), minIntervalMs: 0 },
    { id: 'resting', name: 'Resting', url: server.url('/gone/locations'), enabled: false },
  );
  feedsFile = join(mkdtempSync(join(tmpdir(), 'cli-feeds-')), 'feeds.yaml');
  writeFileSync(feedsFile, stringify({ feeds: entries }));
});
afterAll(() => server.close());

describe('uk-chargers feeds', () => {
  it('check fetches page 1 of every enabled feed: one line each, a missing secret skipped, a failing feed exit 1', async () => {
    const result = await runOfflineCli(['feeds', 'check', '--json'], { FEEDS_FILE: feedsFile, JOLT_API_KEY: JOLT_KEY });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('uk-chargers: 1 of 7 feeds failed\n');
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const byId = Object.fromEntries(lines.map((line) => [String(line.id), line]));
    expect(Object.keys(byId)).toEqual([
      'chargy',
      'geniepoint',
      'mer_uk',
      'jolt',
      'chargeplace_scotland',
      'eco',
      'gone',
    ]);
    expect(byId.chargy).toMatchObject({ outcome: 'ok', status: 200, shape: 'data', items: 2, nextPage: true });
    expect(byId.geniepoint).toMatchObject({ outcome: 'ok', shape: 'data', items: 5, nextPage: false });
    expect(byId.mer_uk).toMatchObject({ outcome: 'ok', shape: 'data.locations.data', nextPage: false });
    expect(byId.jolt).toMatchObject({ outcome: 'ok', shape: 'locations', nextPage: false });
    expect(byId.eco).toEqual({ id: 'eco', outcome: 'skipped', secretEnv: 'ECO_TOKEN' });
    expect(byId.gone).toEqual({
      id: 'gone',
      outcome: 'failed',
      error: `feed gone returned 404 Not Found for ${server.url('/gone/locations')}`,
    });
    expect(result.stdout + result.stderr).not.toContain('SENTINEL');
    expect(server.requests.some((request) => request.url === `/jolt/locations?apiKey=${JOLT_KEY}`)).toBe(true);
  });

  it('check --id checks one feed, in words, and exits 0 when it answers', async () => {
    const result = await runOfflineCli(['feeds', 'check', '--id', 'eco'], { FEEDS_FILE: feedsFile, ECO_TOKEN });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^eco: ok, 200 in \d+ ms, 4 Locations in data, \d+ bytes, next page: yes\n$/);
    const unknown = await runOfflineCli(['feeds', 'check', '--id', 'nope'], { FEEDS_FILE: feedsFile });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`uk-chargers: no feed nope in ${feedsFile} (feeds: chargy, geniepoint,`);
  });

  it('list shows each feed with its secret by name, set or missing, never its value', async () => {
    const result = await runOfflineCli(['feeds', 'list'], { FEEDS_FILE: feedsFile, ECO_TOKEN });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${feedsFile}: 8 feeds`);
    expect(lines[1]).toMatch(/^ID +NAME +ENABLED +PAGING +HOST +SECRET$/);
    const row = (id: string) => lines.find((line) => line.startsWith(`${id} `))!.split(/ {2,}/);
    const host = new URL(server.origin).host;
    expect(row('jolt')).toEqual(['jolt', 'Jolt', 'yes', 'auto', host, 'JOLT_API_KEY missing']);
    expect(row('eco')).toEqual(['eco', 'Eco feed', 'yes', 'offset', host, 'ECO_TOKEN set']);
    expect(row('resting')).toEqual(['resting', 'Resting', 'no', 'auto', host, '-']);
    expect(result.stdout).not.toContain('SENTINEL');
  });

  it('list refuses an invalid catalogue, listing its problems, exit 1', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'cli-feeds-')), 'bad.yaml');
    writeFileSync(bad, 'feeds:\n  - { id: a, name: A, url: "ftp://a.test/", paging: sideways }\n');
    const result = await runOfflineCli(['feeds', 'list'], { FEEDS_FILE: bad });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'uk-chargers: invalid configuration:\n' +
        `  - feed catalogue ${bad}: feed a (#1): url must be http(s), got ftp\n` +
        `  - feed catalogue ${bad}: feed a (#1): paging must be one of auto, link, offset, none, got "sideways"\n`,
    );
  });
});
