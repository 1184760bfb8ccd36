import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpSource } from '../../src/source/httpSource';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { failureOf } from '../support/sourceFailure';

const MAINTENANCE_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>\n<body>\n\n  <h1>Down for maintenance</h1>' +
  '<p>The National Chargepoint Registry is being updated and will be back shortly. Thank you for your patience.</p>' +
  '</body></html>';
const source = createHttpSource({ connectTimeoutMs: 5_000, idleTimeoutMs: 5_000, userAgent: 'test' });

let registry: FaultyRegistry;
beforeEach(async () => {
  registry = await startFaultyRegistry();
});
afterEach(() => registry.close());

describe('content sniffing', () => {
  it('stops looking for the first significant byte after a bounded run of whitespace, rather than gathering it all', async () => {
    // Endless whitespace: open() would never return if it looked for the first significant byte to the end.
    function* spaces(): Generator<Buffer> {
      for (;;) yield Buffer.alloc(64 * 1024, ' ');
    }
    registry.serveStream('/spaces.json', () => Readable.from(spaces(), { objectMode: false }));

    const response = await source.open(registry.url('/spaces.json'));

    expect(response.notModified).toBe(false);
    const body = (response as { body: Readable }).body;
    const first = (await body[Symbol.asyncIterator]().next()).value as Buffer;
    expect(first.toString('latin1').trim()).toBe('');
    body.destroy();
  });

  it('rejects a 200 text/html page from open(), not retryable, with a short printable snippet', async () => {
    registry.failNext('/ncr.json', [{ status: 200, contentType: 'text/html; charset=utf-8', body: MAINTENANCE_PAGE }]);

    const error = await failureOf(source.open(registry.url('/ncr.json')));

    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ url: registry.url('/ncr.json'), status: 200 });
    const prefix = `registry at ${registry.url('/ncr.json')} returned text/html, not JSON: `;
    expect(error.message.startsWith(prefix)).toBe(true);
    const snippet = error.message.slice(prefix.length);
    const collapsed = '<!DOCTYPE html> <html><head><title>Maintenance</title></head> <body> <h1>Down';
    expect(snippet.startsWith(collapsed)).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(121);
    expect(snippet).not.toMatch(/[\n\r\t]/);
  });

  it('quotes a short HTML page whole', async () => {
    registry.failNext('/ncr.json', [{ status: 200, contentType: 'text/html', body: '<html>maintenance</html>' }]);

    const error = await failureOf(source.open(registry.url('/ncr.json')));

    expect(error.message).toBe(
      `registry at ${registry.url('/ncr.json')} returned text/html, not JSON: <html>maintenance</html>`,
    );
  });

  it('rejects a body starting with "<" whatever its Content-Type, after a BOM and whitespace', async () => {
    registry.serve('/ncr.json', { body: `\uFEFF \r\n\t${MAINTENANCE_PAGE}`, contentType: 'application/json' });

    const error = await failureOf(source.open(registry.url('/ncr.json')));

    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      `registry at ${registry.url('/ncr.json')} returned markup, not JSON (Content-Type application/json): ` +
        '<!DOCTYPE html>',
    );
  });

  it('sniffs the decoded body, not the gzip bytes', async () => {
    registry.serve('/ncr.json', { body: MAINTENANCE_PAGE, gzip: true, contentType: 'application/octet-stream' });

    const error = await failureOf(source.open(registry.url('/ncr.json')));

    expect(error.message).toContain(
      'returned markup, not JSON (Content-Type application/octet-stream): <!DOCTYPE html>',
    );
  });

  it('passes JSON through untouched, leading BOM and whitespace included', async () => {
    const body = Buffer.from('\uFEFF\n  {"ChargeDevice": []}\n');
    registry.serve('/ncr.json', { body });

    const result = await source.open(registry.url('/ncr.json'));

    if (result.notModified) throw new Error('unexpected 304');
    expect(await buffer(result.body)).toEqual(body);
  });

  it('leaves a body that is not JSON but not markup either to the transform', async () => {
    registry.serve('/ncr.json', { body: 'Service temporarily unavailable', contentType: 'text/plain' });

    const result = await source.open(registry.url('/ncr.json'));

    if (result.notModified) throw new Error('unexpected 304');
    expect((await buffer(result.body)).toString()).toBe('Service temporarily unavailable');
  });
});
