import { PassThrough, Readable } from 'node:stream';
import { transformPayload } from '../../src/transform/pipeline';
import { readBytes } from './generatedBody';

/** The CSV the offline transform makes of `payload`: what every undisturbed run must publish. */
export async function offlineCsv(payload: Buffer): Promise<Buffer> {
  const out = new PassThrough();
  const [csv] = await Promise.all([readBytes(out), transformPayload(Readable.from([payload]), out)]);
  return csv;
}
