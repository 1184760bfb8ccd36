import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors';
import { SOURCE_URL, activityHarness, applicationFailureOf } from '../support/activityHarness';
import { samplePayload } from '../support/registryPayload';

const SAMPLE = { body: samplePayload(), etag: '"v1"', lastModified: 'Sun, 29 Nov 2026 06:00:00 GMT' };

describe('checkStatus activity', () => {
  it("probes the worker's source and resolves the default destination after checking it is writable", async () => {
    const { activities, attempt, source, store } = await activityHarness(SAMPLE);

    const result = await attempt().run(activities.checkStatus, {});

    expect(source.requests).toEqual([{ method: 'probe', url: SOURCE_URL }]);
    expect(result.source).toEqual({
      url: SOURCE_URL,
      status: 200,
      etag: '"v1"',
      lastModified: SAMPLE.lastModified,
      contentType: 'application/json',
      contentLength: SAMPLE.body.length,
    });
    expect(result.destination).toBe(store.rootUri);
    // The write probe cleans up after itself.
    expect(await readdir(store.rootDir)).toEqual([]);
  });

  it("probes the input's source and resolves the input's destination, creating its directory", async () => {
    const { activities, attempt, source, store } = await activityHarness(SAMPLE);
    const other = 'https://mirror.test/ncr.json';
    const destinationDir = join(store.rootDir, 'nested', 'out');

    const result = await attempt().run(activities.checkStatus, {
      sourceUrl: other,
      destination: `file:${destinationDir}`,
    });

    expect(source.requests).toEqual([{ method: 'probe', url: other }]);
    expect(result.source.url).toBe(other);
    expect(result.destination).toBe(`${pathToFileURL(destinationDir).href}/`);
    expect(await readdir(destinationDir)).toEqual([]);
  });

  it('fails for good with a StorageError when the destination cannot be a directory', async () => {
    const { activities, attempt, store } = await activityHarness(SAMPLE);
    const file = join(store.rootDir, 'a-file');
    await writeFile(file, 'not a directory');

    const failure = await applicationFailureOf(
      attempt().run(activities.checkStatus, { destination: `file:${join(file, 'out')}` }),
    );

    expect(failure).toMatchObject({ type: ERROR_CODES.storage, nonRetryable: true });
    expect(failure.message).toContain('a component of the path is a file, not a directory');
  });

  it('turns a 404 from the registry into a non-retryable SourceError failure naming the URL', async () => {
    const { activities, attempt, source } = await activityHarness(SAMPLE);
    source.failWithStatus(404);

    const failure = await applicationFailureOf(attempt().run(activities.checkStatus, {}));

    expect(failure).toMatchObject({
      type: ERROR_CODES.source,
      nonRetryable: true,
      message: `registry returned 404 Not Found for ${SOURCE_URL}`,
    });
  });

  it('turns a 503 from the registry into a retryable SourceError failure', async () => {
    const { activities, attempt, source } = await activityHarness(SAMPLE);
    source.failWithStatus(503);

    const failure = await applicationFailureOf(attempt().run(activities.checkStatus, {}));

    expect(failure).toMatchObject({
      type: ERROR_CODES.source,
      nonRetryable: false,
      message: `registry returned 503 Service Unavailable for ${SOURCE_URL}`,
    });
    expect(failure.nextRetryDelay).toBeUndefined();
  });
});
