import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * A pass-through stream that counts bytes and computes their sha256 on the way,
 * optionally telling `onBytes` the running total (for heartbeats and progress).
 */
export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly onBytes?: (total: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    callback(null, chunk);
  }

  /** Hex sha256 of everything that passed; call once, after the stream finished. */
  sha256(): string {
    return this.hash.digest('hex');
  }
}
