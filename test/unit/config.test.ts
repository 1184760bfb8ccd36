import { describe, expect, it } from 'vitest';
import { loadConfig, redactedConfig, webUiRunUrl } from '../../src/config';
import { DEFAULTS } from '../../src/defaults';
import { ConfigError } from '../../src/domain/errors';

// An empty config-file path keeps the developer's own Temporal profile out of these tests.
const base = { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.sourceUrl).toBe(DEFAULTS.sourceUrl);
    expect(config.sourceAllowedHosts).toEqual(['chargepoints.dft.gov.uk']);
    expect(config.destination).toBe('file:./output');
    expect(config.temporal).toMatchObject({
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'uk-chargers',
      uiUrl: 'http://localhost:8233',
    });
    expect(config.publishMaxDropFraction).toBe(0.3);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        ...base,
        SOURCE_URL: 'ftp://x',
        DESTINATION: 'gs://nope',
        PUBLISH_MAX_DROP_FRACTION: '2',
        SOURCE_MAX_BYTES: '-1',
        LOG_LEVEL: 'loud',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['SOURCE_URL', 'gs://nope', 'PUBLISH_MAX_DROP_FRACTION', 'SOURCE_MAX_BYTES', 'LOG_LEVEL']) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('reads Temporal settings through envconfig and redacts the API key', () => {
    const config = loadConfig({
      ...base,
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'SENTINEL-KEY',
    });
    expect(config.temporal.connect.connectionOptions.apiKey).toBe('SENTINEL-KEY');
    expect(config.temporal.uiUrl).toBe('https://cloud.temporal.io');
    const printed = JSON.stringify(redactedConfig(config));
    expect(printed).not.toContain('SENTINEL-KEY');
    expect(printed).toContain('<redacted>');
  });

  it('never prints credentials carried by SOURCE_URL', () => {
    const config = loadConfig({ ...base, SOURCE_URL: 'https://u:pw-SENTINEL@reg.test/ncr?apikey=KEY-SENTINEL' });
    expect(config.sourceAllowedHosts).toEqual(['reg.test']);
    expect(JSON.stringify(redactedConfig(config))).not.toMatch(/SENTINEL/);
  });

  it('links to a run in the Web UI', () => {
    const config = loadConfig({ ...base, TEMPORAL_ADDRESS: '127.0.0.1:7555' });
    expect(webUiRunUrl(config, 'wf 1', 'run')).toBe(
      'http://localhost:8555/namespaces/default/workflows/wf%201/run/history',
    );
  });
});
