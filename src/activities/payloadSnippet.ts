import { parseTarget, scrubSecrets } from '../source/requestTarget';
import type { BlobStore } from '../storage/blobStore';

const SNIPPET_CHARS = 120;
/** Read well past the snippet, so a credential is replaced whole before the text is cut. */
const READ_BYTES = 4 * 1024;

/**
 * The first characters of a staged payload, printable and whitespace-collapsed,
 * with the credentials of `sourceUrl` replaced (a server may echo the request URL),
 * for messages about payloads that are not what we expected.
 */
export async function payloadSnippet(store: BlobStore, key: string, sourceUrl: string): Promise<string> {
  const body = await store.get(key);
  const chunks: Buffer[] = [];
  let read = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      read += (chunk as Buffer).length;
      if (read >= READ_BYTES) break;
    }
  } finally {
    body.destroy();
  }
  const scrubbed = scrubSecrets(
    Buffer.concat(chunks).subarray(0, READ_BYTES).toString('utf8'),
    parseTarget(sourceUrl, undefined),
  );
  // \s covers the BOM too.
  const text = scrubbed.replace(/[\u0000-\u001f\u007f-\u009f\ufffd\s]+/g, ' ').trim();
  if (text.length === 0) return '(empty payload)';
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS).trimEnd()}…` : text;
}
