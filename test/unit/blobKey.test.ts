import { describe, expect, it } from 'vitest';
import { blobKeyProblem } from '../../src/storage/blobKey';

describe('blobKeyProblem', () => {
  it.each(['a.csv', 'runs/2024-01/a.csv', '.hidden', 'a/.b/c', 'spaces are fine.csv', 'a..b.csv'])(
    'accepts the key %j',
    (key) => {
      expect(blobKeyProblem(key, 'key')).toBeUndefined();
    },
  );

  it.each([
    ['', 'is empty'],
    ['/abs.csv', 'is an absolute path'],
    ['C:/x.csv', 'starts with a drive letter'],
    ['a\\b.csv', "contains '\\'"],
    ['a/../b.csv', "'..' segment"],
    ['..', "'..' segment"],
    ['./a.csv', "'.' or '..' segment"],
    ['a//b.csv', 'empty path segment'],
    ['dir/', 'empty path segment'],
    ['a\0b', 'NUL'],
  ])('rejects the key %j', (key, problem) => {
    expect(blobKeyProblem(key, 'key')).toContain(problem);
  });

  it.each(['', 'runs/', 'runs/2024-', 'a/b/'])('accepts the prefix %j', (prefix) => {
    expect(blobKeyProblem(prefix, 'prefix')).toBeUndefined();
  });

  it.each(['../', '/runs/', 'runs//', 'a/./'])('rejects the prefix %j', (prefix) => {
    expect(blobKeyProblem(prefix, 'prefix')).toBeDefined();
  });
});
