import type { Writable } from 'node:stream';
import { failStream } from './failStream';

/**
 * Runs `produce`, which writes into `output`, while `written` (a store's put of
 * `output`) consumes it, and settles once both are done. Whichever fails first
 * is the error: a failed write stops the producer (its output is destroyed), and
 * a failed producer fails the write, so no partial object is left. Neither
 * rejection is ever left unhandled, which would end the whole process.
 */
export async function produceInto<T>(
  output: Writable,
  written: Promise<unknown>,
  produce: () => Promise<T>,
): Promise<T> {
  let producerFailed = false;
  let writeError: { error: unknown } | undefined;
  const writeSettled = written.then(
    () => undefined,
    (error: unknown) => {
      if (producerFailed) return;
      writeError = { error };
      failStream(output, error);
    },
  );
  let result: T;
  try {
    result = await produce();
  } catch (error) {
    producerFailed = writeError === undefined;
    failStream(output, error);
    await writeSettled;
    throw writeError ? writeError.error : error;
  }
  await writeSettled;
  if (writeError) throw writeError.error;
  return result;
}
