import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadSnippet } from '../../src/activities/payloadSnippet';
import { FileStore } from '../../src/storage/fileStore';

const SOURCE = 'https://ops:pa55word@registry.test/ncr.json?apikey=TOPSECRETKEY';
let dir: string;
let store: FileStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'uk-chargers-snippet-'));
  store = new FileStore(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function snippetOf(payload: string | Buffer): Promise<string> {
  await store.put('raw.json', payload);
  return payloadSnippet(store, 'raw.json', SOURCE);
}

describe('payloadSnippet', () => {
  it('quotes a short payload whole, with whitespace and control characters collapsed', async () => {
    expect(await snippetOf('\ufeff{"error":\n\t"quota exceeded"}\r\n')).toBe('{"error": "quota exceeded"}');
  });

  it('cuts a long payload at 120 characters', async () => {
    const snippet = await snippetOf(`{"Scheme": "${'x'.repeat(500)}"}`);
    expect(snippet).toHaveLength(121);
    expect(snippet.endsWith('…')).toBe(true);
  });

  it('replaces the source credentials whole, even where the cut falls inside one', async () => {
    const snippet = await snippetOf(`${'p'.repeat(110)} TOPSECRETKEY for ops:pa55word ${'q'.repeat(200)}`);
    expect(snippet).toContain('REDACTED');
    expect(snippet).not.toMatch(/TOPS|pa55/);
  });

  it('says so when the payload is empty', async () => {
    expect(await snippetOf('  \n')).toBe('(empty payload)');
  });
});
