import { finished, type Readable, type Writable } from 'node:stream';

/**
 * Makes sure an error of `stream` is never an 'error' event nobody listens to, which
 * Node throws and which takes the whole worker down. Call it where a stream changes
 * hands before its new owner reads it (a store preparing a write, a producer failing
 * its output): the owner still sees the error, through its own listeners or the
 * stream's `errored` state when it starts reading.
 */
export function observeErrors(stream: Readable | Writable): void {
  finished(stream, () => undefined);
}

/** Destroys `stream` with `error` on purpose, safely even when nothing reads it yet. */
export function failStream(stream: Readable | Writable, error: unknown): void {
  observeErrors(stream);
  stream.destroy(error instanceof Error ? error : new Error(String(error)));
}
