import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, StorageError } from '../../src/domain/errors';
import { FileStore } from '../../src/storage/fileStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { describeBlobStoreContract } from '../support/blobStoreContract';
import { readText } from '../support/generatedBody';

const scratchDirs: string[] = [];

async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'uk-chargers-filestore-'));
  scratchDirs.push(dir);
  return dir;
}

/** Every path under `dir`, relative, with '/' separators; directories end with '/'. */
async function tree(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  const paths = await Promise.all(
    names.map(async (name) => {
      const relative = name.split('\\').join('/');
      return (await stat(join(dir, name))).isDirectory() ? `${relative}/` : relative;
    }),
  );
  return paths.sort();
}

afterAll(async () => {
  await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeBlobStoreContract('FileStore', {
  // The root does not exist yet: the store creates it on first write.
  freshStore: async () => new FileStore(join(await scratchDir(), 'output')),
  assertNoLeftovers: async (store) => {
    const leftovers = (await tree((store as FileStore).rootDir)).filter((path) => path.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  },
});

describe('FileStore on disk', () => {
  it('names its root and keys as file:// URIs', async () => {
    const dir = await scratchDir();
    const store = new FileStore(join(dir, 'out dir'));
    expect(store.rootUri).toBe(`${pathToFileURL(join(dir, 'out dir')).href}/`);
    expect(store.uriFor('runs/a b.csv')).toBe(`${store.rootUri}runs/a%20b.csv`);
  });

  it('opens file:./relative destinations against the given working directory', async () => {
    const dir = await scratchDir();
    const store = openBlobStore('file:./output', { cwd: dir });
    await store.put('x.csv', 'x');
    expect(await readText(await store.get('x.csv'))).toBe('x');
    expect((await stat(join(dir, 'output', 'x.csv'))).isFile()).toBe(true);
  });

  it('removes directories that deletePrefix and delete leave empty, never the root', async () => {
    const root = join(await scratchDir(), 'output');
    const store = new FileStore(root);
    for (const key of ['history/2024/01/a.csv', 'history/2024/02/b.csv', 'history/2025/c.csv', 'latest.csv']) {
      await store.put(key, key);
    }
    await store.deletePrefix('history/2024/');
    expect(await tree(root)).toEqual(['history/', 'history/2025/', 'history/2025/c.csv', 'latest.csv']);
    await store.delete('history/2025/c.csv');
    expect(await tree(root)).toEqual(['latest.csv']);
    await store.deletePrefix('');
    expect(await tree(root)).toEqual([]);
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('does not list the temp files of writes in flight, but does list other hidden files', async () => {
    const root = join(await scratchDir(), 'output');
    const store = new FileStore(root);
    await store.put('runs/.keep', '');
    await writeFile(join(root, 'runs', '.report.csv.0123456789ab.tmp'), 'half written');
    const keys: string[] = [];
    for await (const info of store.list('runs/')) keys.push(info.key);
    expect(keys).toEqual(['runs/.keep']);
  });

  it('conditional puts break a lock left by a killed writer, and never list locks', async () => {
    const root = join(await scratchDir(), 'output');
    const store = new FileStore(root);
    const read = await store.put('stable.csv', 'v1');
    const lock = join(root, '.stable.csv.lock');
    await writeFile(lock, '');
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lock, longAgo, longAgo);

    await store.put('stable.csv', 'v2', { ifMatch: read.etag });
    expect(await readText(await store.get('stable.csv'))).toBe('v2');
    expect(await tree(root)).toEqual(['stable.csv']);
    await writeFile(lock, '');
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual(['stable.csv']);
  });

  it('treats a directory as an absent object', async () => {
    const store = new FileStore(join(await scratchDir(), 'output'));
    await store.put('dir/file.csv', 'x');
    await expect(store.get('dir')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.head('dir')).toBeUndefined();
  });

  it('fails verifyAccess permanently, naming the destination, when a file is in the way', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'not-a-directory'), 'x');
    const store = new FileStore(join(dir, 'not-a-directory', 'output'));
    const error = await store.verifyAccess().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ retryable: false, details: { operation: 'verifyAccess', uri: store.rootUri } });
    expect((error as StorageError).message).toContain(store.rootUri);
  });
});
