import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlobChangedError, BlobNotFoundError, StorageError } from '../domain/errors';
import { observeErrors } from '../streams/failStream';
import { assertValidKey, type KeyKind } from './blobKey';
import type { BlobInfo, BlobStore, PutOptions } from './blobStore';

/** How much one read of a stored file takes. */
const READ_CHUNK_BYTES = 1 << 20;

/** Names of in-flight writes: hidden, next to their target, never listed as objects. */
const TEMP_FILE = /^\..+\.[0-9a-f]{12}\.tmp$/;
/** Names of the locks conditional writes hold: hidden, next to their target, never listed as objects. */
const LOCK_FILE = /^\..+\.lock$/;
/** A lock older than this was left by a killed process: the check and rename it guards take milliseconds. */
const LOCK_STALE_MS = 10_000;
/** How long a conditional write waits for another one to the same key. */
const LOCK_WAIT_MS = 30_000;

/** Errors a later attempt may not hit: the disk filled up or the process ran out of descriptors. */
const RETRYABLE_FS_CODES = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EIO', 'ENOSPC', 'ETIMEDOUT']);

const FS_HINTS: Record<string, string> = {
  EACCES: "permission denied: check the worker's file permissions on the directory",
  EPERM: "operation not permitted: check the worker's file permissions on the directory",
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a component of the path is a file, not a directory',
  EISDIR: 'the key names a directory',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * A BlobStore over a local directory (`file:` destinations). Writes go to a
 * hidden temp file in the target's directory, are fsynced and then renamed
 * over the target, so readers see the old file or the complete new one.
 * A conditional put checks the target's version and renames while holding a
 * lock file next to it, so conditional writers on one host take turns.
 * Etags are the file's inode, modification time (ns) and size: a rename of a
 * fresh temp file always changes them.
 * list() reports regular files only: symbolic links and directories are skipped.
 */
export class FileStore implements BlobStore {
  readonly rootUri: string;

  /** @param rootDir absolute directory holding the objects; created on first write. */
  constructor(readonly rootDir: string) {
    const href = pathToFileURL(rootDir).href;
    this.rootUri = href.endsWith('/') ? href : `${href}/`;
  }

  uriFor(key: string): string {
    return this.rootUri + key.split('/').map(encodeURIComponent).join('/');
  }

  async put(key: string, body: Readable | Buffer | string, options: PutOptions = {}): Promise<BlobInfo> {
    // The body may fail while the temp file is being created: that error is put()'s to report.
    if (body instanceof Readable) observeErrors(body);
    const target = this.pathFor(key, 'key', 'put');
    const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeAtomically(
        target,
        ({ handle }) => writeAll(handle, body),
        conditional ? () => this.assertVersion(key, options) : undefined,
      );
      return await this.infoFor(key, target);
    } catch (error) {
      if (body instanceof Readable) body.destroy();
      throw this.storageError(error, key, 'put');
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathFor(key, 'key', 'get');
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') throw new BlobNotFoundError(this.uriFor(key), 'get');
      throw this.storageError(error, key, 'get');
    }
    const isFile = await handle.stat().then(
      (stats) => stats.isFile(),
      () => false,
    );
    if (!isFile) {
      await handle.close();
      throw new BlobNotFoundError(this.uriFor(key), 'get');
    }
    // 1 MiB reads rather than 64 KiB: a transform reading a staged payload otherwise waits on the disk a quarter
    // of the time (BENCHMARKS.md, Profile).
    return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const path = this.pathFor(key, 'key', 'head');
    try {
      const stats = await stat(path, { bigint: true });
      return stats.isFile() ? blobInfo(key, stats) : undefined;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined;
      throw this.storageError(error, key, 'head');
    }
  }

  async copy(fromKey: string, toKey: string): Promise<BlobInfo> {
    const source = this.pathFor(fromKey, 'key', 'copy');
    const target = this.pathFor(toKey, 'key', 'copy');
    if ((await this.head(fromKey)) === undefined) throw new BlobNotFoundError(this.uriFor(fromKey), 'copy');
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeAtomically(target, async ({ tempPath }) => {
        // copyFile lets the kernel copy (or clone) the data; it truncates and fills the
        // temp file we hold open, so writeAtomically's fsync on our handle covers it.
        await copyFile(source, tempPath);
      });
      return await this.infoFor(toKey, target);
    } catch (error) {
      throw this.storageError(error, toKey, 'copy');
    }
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    this.pathFor(prefix, 'prefix', 'list');
    // Only the directory named by the prefix's complete segments can hold matches.
    const start = join(this.rootDir, ...prefix.split('/').slice(0, -1));
    try {
      for await (const path of walkFiles(start)) {
        const key = relative(this.rootDir, path).split(sep).join('/');
        if (!key.startsWith(prefix)) continue;
        const stats = await stat(path, { bigint: true }).catch((error: unknown) => {
          // Deleted between readdir and stat: it is simply no longer there.
          if (errnoCode(error) === 'ENOENT') return undefined;
          throw error;
        });
        if (stats) yield blobInfo(key, stats);
      }
    } catch (error) {
      throw this.storageError(error, prefix, 'list');
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathFor(key, 'key', 'delete');
    try {
      await rm(path, { force: true });
      await this.removeEmptyDirectories([dirname(path)]);
    } catch (error) {
      throw this.storageError(error, key, 'delete');
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    this.pathFor(prefix, 'prefix', 'deletePrefix');
    const emptied = new Set<string>();
    try {
      for await (const { key } of this.list(prefix)) {
        const path = join(this.rootDir, ...key.split('/'));
        await rm(path, { force: true });
        emptied.add(dirname(path));
      }
      await this.removeEmptyDirectories([...emptied]);
    } catch (error) {
      throw error instanceof StorageError ? error : this.storageError(error, prefix, 'deletePrefix');
    }
  }

  async verifyAccess(): Promise<void> {
    try {
      await mkdir(this.rootDir, { recursive: true });
      const probe = join(this.rootDir, `.verify-access.${randomBytes(6).toString('hex')}.tmp`);
      await writeAtomically(probe, ({ handle }) => writeAll(handle, 'ok'));
      await rm(probe, { force: true });
    } catch (error) {
      throw this.storageError(error, '', 'verifyAccess');
    }
  }

  /** Resolves a validated key or prefix to a path under the root. */
  private pathFor(key: string, kind: KeyKind, operation: string): string {
    assertValidKey(key, kind, { rootUri: this.rootUri, operation });
    return join(this.rootDir, ...key.split('/'));
  }

  private async infoFor(key: string, path: string): Promise<BlobInfo> {
    return blobInfo(key, await stat(path, { bigint: true }));
  }

  /** Throws BlobChangedError unless `key` is the version a conditional put expects. */
  private async assertVersion(key: string, { ifMatch, ifNoneMatch }: PutOptions): Promise<void> {
    const current = await this.head(key);
    const expected = ifNoneMatch === '*' ? current === undefined : current !== undefined && current.etag === ifMatch;
    if (!expected) throw new BlobChangedError(this.uriFor(key), 'put');
  }

  /** Removes each directory and then its parents while they are empty, never the root itself. */
  private async removeEmptyDirectories(directories: string[]): Promise<void> {
    const candidates = new Set<string>();
    for (let directory of directories) {
      while (directory.startsWith(this.rootDir + sep) && !candidates.has(directory)) {
        candidates.add(directory);
        directory = dirname(directory);
      }
    }
    const deepestFirst = [...candidates].sort((a, b) => b.split(sep).length - a.split(sep).length);
    for (const directory of deepestFirst) {
      try {
        await rmdir(directory);
      } catch (error) {
        // Not empty (another object, or a write in flight) or already gone: leave it.
        if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(errnoCode(error) ?? '')) throw error;
      }
    }
  }

  private storageError(error: unknown, key: string, operation: string): StorageError {
    if (error instanceof StorageError) return error;
    const uri = this.uriFor(key);
    const code = errnoCode(error);
    const hint = code === undefined ? undefined : FS_HINTS[code];
    const detail = error instanceof Error ? error.message : String(error);
    return new StorageError(
      `${operation} ${uri} failed: ${hint ?? detail}`,
      code !== undefined && RETRYABLE_FS_CODES.has(code),
      { uri, operation },
      { cause: error },
    );
  }
}

function blobInfo(key: string, stats: BigIntStats): BlobInfo {
  const etag = `"${stats.ino.toString(16)}-${stats.mtimeNs.toString(16)}-${stats.size.toString(16)}"`;
  return { key, size: Number(stats.size), etag, lastModified: new Date(Number(stats.mtimeMs)) };
}

/**
 * Creates a hidden temp file next to `target`, lets `fill` write it, fsyncs it
 * and renames it over `target`; on any failure the temp file is removed and
 * `target` is untouched. The rename is atomic within a file system; if power
 * is lost before the directory entry reaches the disk, the old file remains.
 * With `precondition`, it runs right before the rename, both under the target's lock.
 */
async function writeAtomically(
  target: string,
  fill: (temp: { handle: FileHandle; tempPath: string }) => Promise<void>,
  precondition?: () => Promise<void>,
): Promise<void> {
  const tempPath = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tempPath, 'wx');
  try {
    await fill({ handle, tempPath });
    await handle.sync();
    await handle.close();
    if (precondition === undefined) {
      await rename(tempPath, target);
    } else {
      await withLock(target, async () => {
        await precondition();
        await rename(tempPath, target);
      });
    }
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw error;
  }
}

/**
 * Runs `critical` holding an exclusive lock file next to `target`. Creating a
 * file with O_EXCL is atomic on local file systems, so one holder at a time; a
 * lock left behind by a killed process is broken once it is LOCK_STALE_MS old.
 */
async function withLock(target: string, critical: () => Promise<void>): Promise<void> {
  const lockPath = join(dirname(target), `.${basename(target)}.lock`);
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await (await open(lockPath, 'wx')).close();
      break;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
      const ageMs = await stat(lockPath).then(
        (stats) => Date.now() - stats.mtimeMs,
        () => 0,
      );
      if (ageMs > LOCK_STALE_MS) {
        await rm(lockPath, { force: true });
      } else if (Date.now() > giveUpAt) {
        // EBUSY is retryable: the activity tries again later.
        throw Object.assign(new Error(`${lockPath} is held by another writer`), { code: 'EBUSY' });
      } else {
        await sleep(20);
      }
    }
  }
  try {
    await critical();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** Writes every byte of `body`, one chunk at a time, so a stream is never held in memory whole. */
async function writeAll(handle: FileHandle, body: Readable | Buffer | string): Promise<void> {
  const chunks: AsyncIterable<Buffer | Uint8Array | string> | Array<Buffer | string> =
    body instanceof Readable ? body : [body];
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let offset = 0;
    while (offset < bytes.byteLength) {
      const { bytesWritten } = await handle.write(bytes, offset);
      offset += bytesWritten;
    }
  }
}

/** Regular files under `directory`, depth first; nothing when it does not exist. */
async function* walkFiles(directory: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return;
    throw error;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* walkFiles(path);
    else if (entry.isFile() && !TEMP_FILE.test(entry.name) && !LOCK_FILE.test(entry.name)) yield path;
  }
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
