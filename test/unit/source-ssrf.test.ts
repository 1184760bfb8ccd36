import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpSource, MAX_REDIRECTS } from '../../src/source/httpSource';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { failureOf } from '../support/sourceFailure';

const guarded = createHttpSource({
  connectTimeoutMs: 5_000,
  idleTimeoutMs: 5_000,
  allowedHosts: ['127.0.0.1'],
  userAgent: 'test',
});

let registry: FaultyRegistry;
beforeEach(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: '{"ChargeDevice": []}' });
});
afterEach(() => registry.close());

describe('SSRF guard', () => {
  it('fetches from an allowed host', async () => {
    const metadata = await guarded.probe(registry.url('/ncr.json'));

    expect(metadata.status).toBe(200);
  });

  it('matches allowed hosts case-insensitively', async () => {
    const source = createHttpSource({ allowedHosts: ['LOCALHOST', '127.0.0.1'] });

    expect((await source.probe(registry.url('/ncr.json'))).status).toBe(200);
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/ncr.json', 'data:application/json,{}'])(
    'refuses %s before sending anything',
    async (url) => {
      for (const attempt of [guarded.probe(url), guarded.open(url), createHttpSource().open(url)]) {
        const error = await failureOf(attempt);
        expect(error.retryable).toBe(false);
        expect(error.message).toContain('only http and https URLs are allowed');
      }
    },
  );

  it('refuses a host that is not allowed, without a request', async () => {
    const source = createHttpSource({ allowedHosts: ['chargepoints.dft.gov.uk'] });

    const error = await failureOf(source.open(registry.url('/ncr.json')));

    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `refusing to fetch ${registry.url('/ncr.json')}: ` +
        'host 127.0.0.1 is not in the allowed hosts (chargepoints.dft.gov.uk)',
    );
    expect(registry.requests).toHaveLength(0);
  });

  it('refuses a redirect to a host that is not allowed, without following it', async () => {
    const elsewhere = `http://localhost:${new URL(registry.origin).port}/ncr.json`;
    registry.redirect('/moved', elsewhere);

    const error = await failureOf(guarded.open(registry.url('/moved')));

    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`refusing to fetch ${elsewhere}: host localhost is not in the allowed hosts`);
    expect(registry.requests.map((request) => request.path)).toEqual(['/moved']);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    registry.redirect('/moved', 'file:///etc/passwd', 307);

    const error = await failureOf(guarded.probe(registry.url('/moved')));

    expect(error).toMatchObject({ retryable: false, message: expect.stringContaining('only http and https') });
  });

  it(`follows at most ${MAX_REDIRECTS} redirects`, async () => {
    registry.redirect('/loop', '/loop');

    const error = await failureOf(guarded.open(registry.url('/loop')));

    expect(error).toMatchObject({
      retryable: false,
      message: `registry at ${registry.url('/loop')} redirected more than ${MAX_REDIRECTS} times`,
    });
    expect(registry.requests).toHaveLength(MAX_REDIRECTS + 1);
  });

  it(`follows a chain of exactly ${MAX_REDIRECTS} redirects`, async () => {
    for (let hop = 1; hop <= MAX_REDIRECTS; hop += 1) {
      registry.redirect(`/hop${hop}`, hop === MAX_REDIRECTS ? '/ncr.json' : `/hop${hop + 1}`);
    }

    const result = await guarded.open(registry.url('/hop1'));
    if (!result.notModified) result.body.destroy();

    expect(result.metadata.status).toBe(200);
    expect(registry.requests).toHaveLength(MAX_REDIRECTS + 1);
  });
});
