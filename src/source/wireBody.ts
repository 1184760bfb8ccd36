import { Readable } from 'node:stream';
import { SourceError } from '../domain/errors';

export interface WireBodyLimits {
  /** Redacted URL, for messages. */
  url: string;
  /** Content-Length, when the server declared one. */
  expectedBytes?: number;
  /** More bytes than this on the wire fails the body (not retryable). */
  maxBytes: number;
  /** No bytes for this long, while we are asking for more, fails the body (retryable). */
  idleTimeoutMs: number;
}

/**
 * The response body exactly as it arrives on the wire (still encoded), guarded:
 * it fails with a retryable SourceError when the connection drops, goes quiet
 * for `idleTimeoutMs`, or ends short of Content-Length, and with a non-retryable
 * one past `maxBytes`. It pulls from the response only when its reader wants
 * data, so backpressure reaches the socket, and the idle clock runs only then:
 * a slow reader is not mistaken for a stalled server.
 */
export class WireBody extends Readable {
  private received = 0;
  private readonly idleTimer: NodeJS.Timeout;
  private waitingForWire = true;

  constructor(
    private readonly response: Readable,
    private readonly limits: WireBodyLimits,
  ) {
    super();
    this.idleTimer = setTimeout(() => this.onIdle(), limits.idleTimeoutMs);
    response.on('data', (chunk: Buffer) => this.onData(chunk));
    response.on('end', () => this.onEnd());
    response.on('error', (error) => this.destroy(this.truncated('the connection was closed', error)));
  }

  override _read(): void {
    this.waitingForWire = true;
    this.idleTimer.refresh();
    this.response.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idleTimer);
    this.response.destroy();
    callback(error);
  }

  private onData(chunk: Buffer): void {
    if (this.destroyed) return;
    this.received += chunk.length;
    if (this.received > this.limits.maxBytes) {
      this.destroy(
        new SourceError(`body from ${this.limits.url} exceeds the limit of ${this.limits.maxBytes} bytes`, false, {
          url: this.limits.url,
        }),
      );
      return;
    }
    this.idleTimer.refresh();
    if (!this.push(chunk)) {
      this.waitingForWire = false;
      this.response.pause();
    }
  }

  private onEnd(): void {
    clearTimeout(this.idleTimer);
    const { expectedBytes } = this.limits;
    if (expectedBytes !== undefined && this.received < expectedBytes) {
      this.destroy(this.truncated('the response ended early'));
      return;
    }
    this.push(null);
  }

  private onIdle(): void {
    if (!this.waitingForWire || this.destroyed) return;
    this.destroy(this.truncated(`no data for ${this.limits.idleTimeoutMs} ms`));
  }

  private truncated(reason: string, cause?: unknown): SourceError {
    const { url, expectedBytes } = this.limits;
    const of = expectedBytes === undefined ? '' : ` of ${expectedBytes}`;
    return new SourceError(
      `body truncated: received ${this.received}${of} bytes from ${url} (${reason})`,
      true,
      { url },
      cause === undefined ? undefined : { cause },
    );
  }
}
