import { buffer } from 'node:stream/consumers';
import { expect } from 'vitest';
import { SourceError } from '../../src/domain/errors';
import type { RegistrySource } from '../../src/source/registrySource';

/** The SourceError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function failureOf(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

/** Opens and reads the whole body: a fault may surface from open() or from the body, depending on timing. */
export async function openAndRead(source: RegistrySource, url: string): Promise<Buffer> {
  const result = await source.open(url);
  if (result.notModified) throw new Error('unexpected 304');
  return buffer(result.body);
}
