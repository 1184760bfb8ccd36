import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { WireBody } from '../../src/source/wireBody';
import { failureOf } from '../support/sourceFailure';

const URL = 'https://registry.example/ncr.json';
const LIMITS = { url: URL, maxBytes: 1000, idleTimeoutMs: 200 };

describe('WireBody', () => {
  it('passes a body of the declared length through', async () => {
    const response = Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]);
    const wire = new WireBody(response, { ...LIMITS, expectedBytes: 7 });

    expect((await buffer(wire)).toString()).toBe('{"a":1}');
  });

  it('fails, retryably, when the response ends cleanly short of Content-Length', async () => {
    const wire = new WireBody(Readable.from([Buffer.from('{"a":')]), { ...LIMITS, expectedBytes: 7 });

    const error = await failureOf(buffer(wire));

    expect(error).toMatchObject({
      retryable: true,
      message: `body truncated: received 5 of 7 bytes from ${URL} (the response ended early)`,
      details: { url: URL },
    });
  });

  it('fails, not retryably, past maxBytes and stops reading the response', async () => {
    const response = Readable.from([Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)]);
    const wire = new WireBody(response, LIMITS);

    const error = await failureOf(buffer(wire));

    expect(error).toMatchObject({ retryable: false, message: `body from ${URL} exceeds the limit of 1000 bytes` });
    expect(response.destroyed).toBe(true);
  });

  it('fails, retryably, when the response goes quiet while it is read', async () => {
    const response = new PassThrough();
    response.write(Buffer.from('{"a":'));
    const wire = new WireBody(response, LIMITS);

    const error = await failureOf(buffer(wire));

    expect(error.message).toBe(`body truncated: received 5 bytes from ${URL} (no data for 200 ms)`);
    expect(response.destroyed).toBe(true);
  });

  it('does not run the idle clock while nobody reads', async () => {
    const response = new PassThrough();
    const wire = new WireBody(response, { ...LIMITS, maxBytes: 10 * 1024 * 1024 });
    // Fill the wire's buffer so it stops asking the response for more.
    while (response.write(Buffer.alloc(16 * 1024))) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, LIMITS.idleTimeoutMs * 3));

    expect(wire.destroyed).toBe(false);
    wire.destroy();
  });

  it('fails, retryably, when the response errors (connection reset)', async () => {
    const response = new PassThrough();
    const wire = new WireBody(response, { ...LIMITS, expectedBytes: 100 });
    response.write(Buffer.alloc(10));
    setTimeout(() => response.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 20);

    const error = await failureOf(buffer(wire));

    expect(error).toMatchObject({
      retryable: true,
      message: `body truncated: received 10 of 100 bytes from ${URL} (the connection was closed)`,
    });
  });
});
