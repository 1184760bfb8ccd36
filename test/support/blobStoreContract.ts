import { beforeEach, describe, expect, it } from 'vitest';
import { BlobChangedError, BlobNotFoundError, StorageError } from '../../src/domain/errors';
import type { BlobInfo, BlobStore } from '../../src/storage/blobStore';
import { digestStream, generatedBody, generatedBodySha256, readBytes, readText } from './generatedBody';

/** Larger than two S3 parts (8 MiB), so S3 stores go through a real multipart upload. */
const LARGE_BODY_BYTES = 20 * 1024 * 1024;

/** What the suite needs from a backend: a fresh, empty store per test. */
export interface ContractSubject {
  /** Returns a store whose root no other test uses. */
  freshStore(): Promise<BlobStore>;
  /** After a failed put of `key`: asserts nothing half-written remains (temp files, open multipart uploads). */
  assertNoLeftovers?(store: BlobStore, key: string): Promise<void>;
}

async function keysOf(listing: AsyncIterable<BlobInfo>): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of listing) keys.push(info.key);
  return keys.sort();
}

/**
 * The behaviour every BlobStore promises (see src/storage/blobStore.ts), run
 * against one backend. Each backend's test file calls this once.
 */
export function describeBlobStoreContract(backend: string, subject: ContractSubject): void {
  describe(`${backend}: BlobStore contract`, () => {
    let store: BlobStore;

    beforeEach(async () => {
      store = await subject.freshStore();
    });

    it('verifies access to a usable destination', async () => {
      await expect(store.verifyAccess()).resolves.toBeUndefined();
      expect(await keysOf(store.list(''))).toEqual([]);
    });

    it('puts and gets strings and buffers, reporting their size', async () => {
      const info = await store.put('reports/a.txt', 'hello, chargers', { contentType: 'text/plain' });
      expect(info).toMatchObject({ key: 'reports/a.txt', size: 15 });
      await store.put('reports/b.bin', Buffer.from([0, 1, 2, 255]));

      expect(await readText(await store.get('reports/a.txt'))).toBe('hello, chargers');
      expect([...(await readBytes(await store.get('reports/b.bin')))]).toEqual([0, 1, 2, 255]);
    });

    it('streams a multi-part body in and out without changing a byte', async () => {
      const info = await store.put('large/body.bin', generatedBody(LARGE_BODY_BYTES));
      expect(info.size).toBe(LARGE_BODY_BYTES);

      const read = await digestStream(await store.get('large/body.bin'));
      expect(read).toEqual({ sha256: await generatedBodySha256(LARGE_BODY_BYTES), bytes: LARGE_BODY_BYTES });
    });

    it('heads existing keys and answers undefined for absent ones', async () => {
      await store.put('h/one.csv', 'a,b\n1,2\n');
      expect(await store.head('h/one.csv')).toMatchObject({ key: 'h/one.csv', size: 8 });
      expect((await store.head('h/one.csv'))?.lastModified).toBeInstanceOf(Date);
      expect(await store.head('h/absent.csv')).toBeUndefined();
      expect(await store.head('h')).toBeUndefined();
    });

    it('throws BlobNotFoundError naming the URI when getting an absent key', async () => {
      const error = await store.get('nowhere/absent.csv').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BlobNotFoundError);
      expect((error as BlobNotFoundError).retryable).toBe(false);
      expect((error as BlobNotFoundError).message).toContain(store.uriFor('nowhere/absent.csv'));
    });

    it('copies a key, replacing an existing target', async () => {
      await store.put('src/data.csv', 'new contents');
      await store.put('dst/data.csv', 'old contents, longer');
      const info = await store.copy('src/data.csv', 'dst/data.csv');
      expect(info).toMatchObject({ key: 'dst/data.csv', size: 12 });
      expect(await readText(await store.get('dst/data.csv'))).toBe('new contents');
      expect(await readText(await store.get('src/data.csv'))).toBe('new contents');
    });

    it('throws BlobNotFoundError when copying an absent key', async () => {
      await expect(store.copy('src/absent.csv', 'dst/x.csv')).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await store.head('dst/x.csv')).toBeUndefined();
    });

    it('lists every key under a prefix, recursively and by plain string prefix', async () => {
      for (const key of ['a/1.csv', 'a/2.csv', 'a/b/3.csv', 'ab/4.csv', 'c.csv']) await store.put(key, key);
      expect(await keysOf(store.list('a/'))).toEqual(['a/1.csv', 'a/2.csv', 'a/b/3.csv']);
      expect(await keysOf(store.list('a'))).toEqual(['a/1.csv', 'a/2.csv', 'a/b/3.csv', 'ab/4.csv']);
      expect(await keysOf(store.list('a/b/3'))).toEqual(['a/b/3.csv']);
      expect(await keysOf(store.list(''))).toEqual(['a/1.csv', 'a/2.csv', 'a/b/3.csv', 'ab/4.csv', 'c.csv']);
      expect(await keysOf(store.list('zzz/'))).toEqual([]);
      for await (const info of store.list('c')) expect(info).toMatchObject({ key: 'c.csv', size: 5 });
    });

    it('deletes a key; deleting an absent key is fine', async () => {
      await store.put('d/gone.csv', 'x');
      await store.put('d/kept.csv', 'y');
      await store.delete('d/gone.csv');
      await store.delete('d/gone.csv');
      await store.delete('never/was.csv');
      expect(await keysOf(store.list(''))).toEqual(['d/kept.csv']);
    });

    it('deletes everything under a prefix and nothing else, idempotently', async () => {
      for (const key of ['run/1/a.csv', 'run/1/deep/b.csv', 'run/2/c.csv', 'run/10/d.csv', 'other.csv']) {
        await store.put(key, key);
      }
      await store.deletePrefix('run/1/');
      expect(await keysOf(store.list(''))).toEqual(['other.csv', 'run/10/d.csv', 'run/2/c.csv']);
      await store.deletePrefix('run/1/');
      await store.deletePrefix('run/');
      expect(await keysOf(store.list(''))).toEqual(['other.csv']);
    });

    it('replaces an object atomically: a put whose body fails leaves the old object intact', async () => {
      await store.put('published/charger_models_UK.csv', 'the published version');
      for (const failAfterBytes of [1024 * 1024, 10 * 1024 * 1024]) {
        const body = generatedBody(LARGE_BODY_BYTES, { failAfterBytes });
        const error = await store.put('published/charger_models_UK.csv', body).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(StorageError);
        expect((error as StorageError).message).toContain(store.uriFor('published/charger_models_UK.csv'));
        expect(await readText(await store.get('published/charger_models_UK.csv'))).toBe('the published version');
      }
      expect(await keysOf(store.list(''))).toEqual(['published/charger_models_UK.csv']);
      await subject.assertNoLeftovers?.(store, 'published/charger_models_UK.csv');
    });

    it('reports an etag that changes whenever the object is replaced', async () => {
      const first = await store.put('v/data.csv', 'same bytes');
      expect(first.etag).toBeTruthy();
      expect((await store.head('v/data.csv'))?.etag).toBe(first.etag);
      const second = await store.put('v/data.csv', 'same bytes');
      expect((await store.head('v/data.csv'))?.etag).toBe(second.etag);
      for await (const info of store.list('v/')) expect(info.etag).toBe(second.etag);
    });

    it('conditional put with ifNoneMatch creates a key only while it is absent', async () => {
      await store.put('c/new.csv', 'first', { ifNoneMatch: '*' });
      const error = await store.put('c/new.csv', 'second', { ifNoneMatch: '*' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BlobChangedError);
      expect((error as BlobChangedError).retryable).toBe(true);
      expect((error as BlobChangedError).message).toContain(store.uriFor('c/new.csv'));
      expect(await readText(await store.get('c/new.csv'))).toBe('first');
    });

    it('conditional put with ifMatch replaces only the version that was read', async () => {
      const read = await store.put('c/stable.csv', 'v1');
      const replaced = await store.put('c/stable.csv', 'v2', { ifMatch: read.etag });
      await expect(store.put('c/stable.csv', 'stale writer', { ifMatch: read.etag })).rejects.toBeInstanceOf(
        BlobChangedError,
      );
      await expect(store.put('c/absent.csv', 'x', { ifMatch: read.etag })).rejects.toBeInstanceOf(BlobChangedError);
      expect(await readText(await store.get('c/stable.csv'))).toBe('v2');
      expect((await store.head('c/stable.csv'))?.etag).toBe(replaced.etag);
      expect(await keysOf(store.list('c/'))).toEqual(['c/stable.csv']);
    });

    it('of concurrent conditional puts on one version, exactly one wins', async () => {
      const read = await store.put('race/stable.csv', 'base');
      const writers = Array.from({ length: 6 }, (_, index) =>
        store.put('race/stable.csv', `writer ${index}`, { ifMatch: read.etag }).then(
          () => index,
          (error: unknown) => {
            expect(error).toBeInstanceOf(BlobChangedError);
            return undefined;
          },
        ),
      );
      const winners = (await Promise.all(writers)).filter((index) => index !== undefined);
      expect(winners).toHaveLength(1);
      expect(await readText(await store.get('race/stable.csv'))).toBe(`writer ${winners[0]}`);
      expect(await keysOf(store.list('race/'))).toEqual(['race/stable.csv']);
    });

    it('rejects keys that could escape the root, without touching anything', async () => {
      for (const key of ['../escape.csv', 'a/../../escape.csv', '/etc/passwd', 'a//b.csv', 'a\\b.csv', '']) {
        const error = await store.put(key, 'x').catch((caught: unknown) => caught);
        expect(error, key).toBeInstanceOf(StorageError);
        expect((error as StorageError).retryable, key).toBe(false);
      }
      await expect(store.get('../escape.csv')).rejects.toBeInstanceOf(StorageError);
      await expect(store.deletePrefix('../')).rejects.toBeInstanceOf(StorageError);
      expect(await keysOf(store.list(''))).toEqual([]);
    });
  });
}
