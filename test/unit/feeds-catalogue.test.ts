import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/domain/errors';
import { BUNDLED_FEEDS_FILE, loadCatalogue, parseCatalogue } from '../../src/feeds/catalogue';

const base = { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' };

function problemsOf(yaml: string, path = 'feeds.yaml'): string[] {
  try {
    parseCatalogue(yaml, path);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the feed catalogue', () => {
  it('ships the real UK catalogue, valid, with secrets named and char.gy kept at 1 s or more', () => {
    const { feeds } = loadCatalogue(BUNDLED_FEEDS_FILE);
    const byId = new Map(feeds.map((feed) => [feed.id, feed]));
    expect([...byId.keys()]).toEqual([
      'chargy',
      'geniepoint',
      'mfg_ev_power',
      'mer_uk',
      'clenergy_ev',
      'arnold_clark_charge',
      'chargeplace_scotland',
      'evolt',
      'pogo_charge',
      'jolt',
      'bp_pulse',
      'shell_recharge',
      'ionity',
    ]);
    expect(byId.get('chargy')!.minIntervalMs).toBeGreaterThanOrEqual(1000);
    expect(byId.get('jolt')!.auth).toEqual({ kind: 'query', name: 'apiKey', secretEnv: 'JOLT_API_KEY' });
    for (const id of ['bp_pulse', 'shell_recharge', 'ionity']) {
      expect(byId.get(id)).toMatchObject({
        url: 'https://open-chargepoints.com/api/ocpi/cpo/2.2.1/locations',
        paging: 'offset',
        auth: { kind: 'header', name: 'Authorization', scheme: 'Token' },
        maxRequestsPerHour: 30,
      });
    }
    expect(feeds.every((feed) => feed.enabled)).toBe(true);
  });

  it('applies the documented defaults', () => {
    const { feeds } = parseCatalogue('feeds:\n  - id: a\n    name: " A "\n    url: https://a.test/locations\n', 'x');
    expect(feeds).toEqual([
      { id: 'a', name: 'A', url: 'https://a.test/locations', enabled: true, paging: 'auto', minIntervalMs: 1000 },
    ]);
  });

  it('lists every problem at once, each naming the file and the feed by id or by index', () => {
    const problems = problemsOf(
      [
        'feeds:',
        '  - id: Bad Id',
        '    name: ""',
        '    url: ftp://x.test/',
        '    paging: sideways',
        '    pageSize: 0',
        '  - id: dup',
        '    name: D',
        '    url: https://d.test/?apikey=inline',
        '    enabled: "yes"',
        '    minIntervalMs: -1',
        '    maxRequestsPerHour: 1.5',
        '    colour: red',
        '  - id: dup',
        '    name: D2',
        '    url: https://d.test/',
        '  - id: auth',
        '    name: A',
        '    url: https://a.test/',
        '    auth: { header: Authorization, query: apiKey, secretEnv: "sk-live-123 456" }',
        '  - id: scheme',
        '    name: S',
        '    url: https://s.test/',
        '    auth: { query: key, scheme: Token, secretEnv: S_KEY }',
        '  - just a string',
      ].join('\n'),
      '/etc/feeds.yaml',
    );
    expect(problems).toEqual(
      [
        '/etc/feeds.yaml: feed #1: id must be a string of a-z, 0-9, _ and -, got "Bad Id"',
        '/etc/feeds.yaml: feed #1: name must be a non-blank string, got ""',
        '/etc/feeds.yaml: feed #1: url must be http(s), got ftp',
        '/etc/feeds.yaml: feed #1: paging must be one of auto, link, offset, none, got "sideways"',
        '/etc/feeds.yaml: feed #1: pageSize must be a positive integer, got 0',
        '/etc/feeds.yaml: feed dup (#2): unknown field colour',
        '/etc/feeds.yaml: feed dup (#2): url must not carry credentials (https://d.test/?apikey=REDACTED): name their variable with auth.secretEnv',
        '/etc/feeds.yaml: feed dup (#2): enabled must be true or false, got "yes"',
        '/etc/feeds.yaml: feed dup (#2): minIntervalMs must be an integer of at least 0, got -1',
        '/etc/feeds.yaml: feed dup (#2): maxRequestsPerHour must be a positive integer, got 1.5',
        '/etc/feeds.yaml: feed auth (#4): auth must have exactly one of header or query',
        '/etc/feeds.yaml: feed auth (#4): auth.secretEnv must name the environment variable holding the secret (letters, digits and _)',
        '/etc/feeds.yaml: feed scheme (#5): auth.scheme applies to auth.header only',
        '/etc/feeds.yaml: feed #6: expected a mapping of id, name, url, …',
      ].map((problem) => `feed catalogue ${problem}`),
    );
    expect(problems.join('\n')).not.toContain('sk-live');
  });

  it('names a repeated id with both places, even when both entries are otherwise valid', () => {
    const problems = problemsOf(
      'feeds:\n  - { id: a, name: A, url: "https://a.test/" }\n  - { id: a, name: B, url: "https://b.test/" }\n',
    );
    expect(problems).toEqual(['feed catalogue feeds.yaml: feed a (#2): id already used by feed #1']);
  });

  it('refuses YAML that does not parse, or holds no feeds list', () => {
    expect(problemsOf('feeds: [\n')[0]).toMatch(/^feed catalogue feeds\.yaml: invalid YAML: /);
    expect(problemsOf('feeds:\n  - id: a\n    id: b\n')[0]).toMatch(/invalid YAML: Map keys must be unique/);
    expect(problemsOf('operators: []\n')).toEqual([
      'feed catalogue feeds.yaml: expected a mapping with a `feeds:` list',
    ]);
    expect(problemsOf('feeds: []\n')).toEqual(['feed catalogue feeds.yaml: `feeds:` lists no feed']);
  });

  it('is validated by loadConfig from FEEDS_FILE, its problems listed with the other settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feeds-'));
    const file = join(dir, 'feeds.yaml');
    writeFileSync(file, 'feeds:\n  - { id: a, name: A, url: "https://a.test/", paging: sideways }\n');
    let error: unknown;
    try {
      loadConfig({
        ...base,
        FEEDS_FILE: file,
        FEEDS_MAX_CONCURRENCY: '0',
        FEED_MAX_STALE: 'a week',
        FEED_BUDGET_WINDOW: 'hourly',
      });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).problems).toEqual([
      `feed catalogue ${file}: feed a (#1): paging must be one of auto, link, offset, none, got "sideways"`,
      'FEED_MAX_STALE must be a duration above zero such as 7d, 36h or 90m, got "a week"',
      'FEED_BUDGET_WINDOW must be a duration above zero such as 1h or 10s, got "hourly"',
      'FEEDS_MAX_CONCURRENCY must be a positive integer, got "0"',
    ]);
    const missing = join(dir, 'none.yaml');
    expect(() => loadConfig({ ...base, FEEDS_FILE: missing })).toThrow(
      `feed catalogue ${missing} cannot be read (ENOENT)`,
    );
  });

  it('reads FEEDS_FILE, FEEDS_MAX_CONCURRENCY, FEED_MAX_STALE and FEED_BUDGET_WINDOW, with defaults of the bundled file, 8, 7 days and 1 hour', () => {
    const defaults = loadConfig(base).feeds;
    expect(defaults).toMatchObject({ maxConcurrency: 8, maxStaleMs: 7 * 86_400_000, budgetWindowMs: 3_600_000 });
    expect(defaults.catalogue.path).toBe(BUNDLED_FEEDS_FILE);
    const dir = mkdtempSync(join(tmpdir(), 'feeds-'));
    const file = join(dir, 'feeds.yaml');
    writeFileSync(file, 'feeds:\n  - { id: a, name: A, url: "https://a.test/" }\n');
    const set = loadConfig({
      ...base,
      FEEDS_FILE: file,
      FEEDS_MAX_CONCURRENCY: '3',
      FEED_MAX_STALE: '36h',
      FEED_BUDGET_WINDOW: '10s',
    }).feeds;
    expect(set).toMatchObject({ maxConcurrency: 3, maxStaleMs: 36 * 3_600_000, budgetWindowMs: 10_000 });
    expect(set.catalogue.feeds.map((feed) => feed.id)).toEqual(['a']);
  });
});
