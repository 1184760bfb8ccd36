import { StorageError } from '../domain/errors';

/**
 * What a key names: an object (`key`), or the start of keys to list or delete
 * (`prefix`, which may be empty and may end with '/').
 */
export type KeyKind = 'key' | 'prefix';

/**
 * Why `key` is unusable, or undefined when it is fine. Keys are relative,
 * '/'-separated paths: no absolute paths, no '.' or '..' segments, no
 * backslashes (a Windows separator) and no NUL, so a key can never escape the
 * store's root, whatever the backend.
 */
export function blobKeyProblem(key: string, kind: KeyKind): string | undefined {
  if (key === '') return kind === 'prefix' ? undefined : 'is empty';
  if (key.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(key)) return 'starts with a drive letter';
  if (key.includes('\\')) return "contains '\\' (keys use '/' separators)";
  if (key.includes('\0')) return 'contains a NUL character';
  const segments = key.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return "contains a '.' or '..' segment";
  // A trailing '/' is fine in a prefix ("runs/") but would name a directory, not an object.
  const named = kind === 'prefix' && key.endsWith('/') ? segments.slice(0, -1) : segments;
  if (named.some((segment) => segment === '')) return 'contains an empty path segment';
  return undefined;
}

/** Throws a non-retryable StorageError naming the store, the operation and the key when `key` is unusable. */
export function assertValidKey(key: string, kind: KeyKind, where: { rootUri: string; operation: string }): void {
  const problem = blobKeyProblem(key, kind);
  if (problem === undefined) return;
  throw new StorageError(
    `${where.operation}: ${kind} ${JSON.stringify(key)} under ${where.rootUri} ${problem}`,
    false,
    { uri: where.rootUri, operation: where.operation },
  );
}
