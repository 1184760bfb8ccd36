import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/domain/errors';
import { FileStore } from '../../src/storage/fileStore';
import { parseDestination } from '../../src/storage/destination';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { S3Store } from '../../src/storage/s3Store';

const cwd = resolve('/srv/uk-chargers');

/** The ConfigError parseDestination throws for `destination`; fails the test if it does not throw one. */
function configErrorOf(destination: string): ConfigError {
  let error: unknown;
  try {
    parseDestination(destination, cwd);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('parseDestination', () => {
  it.each([
    ['s3://my-bucket', { kind: 's3', bucket: 'my-bucket', prefix: '' }],
    ['s3://my-bucket/', { kind: 's3', bucket: 'my-bucket', prefix: '' }],
    ['s3://my-bucket/exports', { kind: 's3', bucket: 'my-bucket', prefix: 'exports/' }],
    ['s3://my.bucket-2/exports/uk/', { kind: 's3', bucket: 'my.bucket-2', prefix: 'exports/uk/' }],
  ])('parses %s', (destination, expected) => {
    expect(parseDestination(destination, cwd)).toEqual(expected);
  });

  it.each([
    ['file:./output', join(cwd, 'output')],
    ['file:output/csv', join(cwd, 'output', 'csv')],
    ['file:../shared', resolve(cwd, '..', 'shared')],
    ['file:/var/data', resolve('/var/data')],
    ['file:///var/data/', resolve('/var/data')],
    ['file://localhost/var/data', resolve('/var/data')],
    ['file:///var/my%20data', resolve('/var/my data')],
  ])('parses %s', (destination, dir) => {
    expect(parseDestination(destination, cwd)).toEqual({ kind: 'file', dir });
  });

  it('resolves relative file: paths against process.cwd() by default', () => {
    expect(parseDestination('file:./output')).toEqual({ kind: 'file', dir: join(process.cwd(), 'output') });
  });

  it.each([
    ['', /unsupported scheme/],
    ['./output', /unsupported scheme/],
    ['https://example.com/bucket', /unsupported scheme/],
    ['s3://', /has no bucket/],
    ['s3:///prefix', /has no bucket/],
    ['s3://My_Bucket/x', /invalid bucket name "My_Bucket"/],
    ['s3://ab/x', /invalid bucket name "ab"/],
    ['s3://bucket/a/../b', /'\.\.' segment/],
    ['s3://bucket//a', /prefix that is an absolute path/],
    ['s3://bucket/a//b', /empty path segment/],
    ['file:', /has no directory/],
    ['file://fileserver/share', /not a local file URL/],
  ])('rejects %j with a ConfigError naming it', (destination, reason) => {
    const [problem] = configErrorOf(destination).problems;
    expect(problem).toContain(`destination "${destination}"`);
    expect(problem).toMatch(reason);
    expect(problem).toContain('expected s3://bucket/prefix/');
  });

  it('rejects credentials in the destination without repeating them', () => {
    const { message } = configErrorOf('s3://AKIAEXAMPLE:hunter2@bucket/');
    expect(message).toMatch(/must not carry credentials/);
    expect(message).not.toMatch(/hunter2|AKIAEXAMPLE/);
  });
});

describe('openBlobStore', () => {
  it('opens a FileStore rooted at the resolved directory', () => {
    const store = openBlobStore('file:./output', { cwd });
    expect(store).toBeInstanceOf(FileStore);
    expect(store.rootUri).toBe(`${pathToFileURL(join(cwd, 'output')).href}/`);
  });

  it('opens an S3Store whose root URI is the normalised destination', () => {
    const store = openBlobStore('s3://uk-chargers/exports', { s3ClientConfig: { region: 'eu-west-2' } });
    expect(store).toBeInstanceOf(S3Store);
    expect(store.rootUri).toBe('s3://uk-chargers/exports/');
    expect(store.uriFor('charger_models_UK.csv')).toBe('s3://uk-chargers/exports/charger_models_UK.csv');
  });

  it('throws ConfigError for a bad destination', () => {
    expect(() => openBlobStore('ftp://somewhere/')).toThrow(ConfigError);
  });
});
