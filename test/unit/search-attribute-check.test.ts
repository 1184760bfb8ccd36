import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/domain/errors';
import {
  completedRunMemo,
  outcomeOf,
  RUN_SEARCH_ATTRIBUTES,
  runSearchAttributeDeclarations,
} from '../../src/visibility/runMemo';
import type { RunReport } from '../../src/domain/runReport';
import { decideSearchAttributes, registrationCommands } from '../../src/visibility/searchAttributeCheck';

const missing = ['search attribute UkChargersRows is not registered on namespace prod'];

describe('decideSearchAttributes', () => {
  it('writes them when all are registered, unless turned off', async () => {
    expect(await decideSearchAttributes('auto', 'prod', async () => [])).toMatchObject({ enabled: true });
    expect(await decideSearchAttributes('required', 'prod', async () => [])).toMatchObject({ enabled: true });
    let asked = false;
    const off = await decideSearchAttributes('off', 'prod', async () => {
      asked = true;
      return [];
    });
    expect(off).toMatchObject({ enabled: false });
    expect(asked).toBe(false);
  });

  it('auto: memo only when some are missing or the check fails, saying how to register them', async () => {
    const decision = await decideSearchAttributes('auto', 'prod', async () => missing);
    expect(decision.enabled).toBe(false);
    expect(decision.reason).toContain('UkChargersRows is not registered');
    expect(decision.reason).toContain('temporal operator search-attribute create --namespace prod');
    const failed = await decideSearchAttributes('auto', 'prod', async () => {
      throw new Error('PermissionDenied');
    });
    expect(failed).toMatchObject({ enabled: false });
    expect(failed.reason).toContain('PermissionDenied');
  });

  it('required: refuses to start, listing every problem and the fix', async () => {
    const error = await decideSearchAttributes('required', 'prod', async () => [
      ...missing,
      'search attribute UkChargersOutcome is not registered on namespace prod',
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[2]).toMatch(/^register them with: temporal operator search-attribute create/);
  });
});

describe('the run search attributes', () => {
  it('are registered with one temporal command per type', () => {
    expect(runSearchAttributeDeclarations()).toEqual([
      { name: 'UkChargersSource', type: 'Keyword' },
      { name: 'UkChargersRows', type: 'Int' },
      { name: 'UkChargersOutcome', type: 'Keyword' },
    ]);
    expect(registrationCommands('default')).toEqual([
      'temporal operator search-attribute create --namespace default --name UkChargersSource --name UkChargersOutcome --type Keyword',
      'temporal operator search-attribute create --namespace default --name UkChargersRows --type Int',
    ]);
    expect(RUN_SEARCH_ATTRIBUTES.rows).toEqual({ name: 'UkChargersRows', type: 'INT' });
  });

  it('name the outcome of a run and fill its memo from the report', () => {
    expect(outcomeOf({ published: true, unchanged: false })).toBe('published');
    expect(outcomeOf({ published: false, unchanged: true })).toBe('unchanged');
    expect(outcomeOf({ published: false, unchanged: false })).toBe('not-published');
    const report = {
      sourceUrl: 'https://reg.test/ncr',
      stats: { rows: 42 },
      published: false,
      unchanged: true,
      publishReason: 'the CSV is identical to the published one',
    } as RunReport;
    expect(completedRunMemo(report)).toEqual({
      source: 'https://reg.test/ncr',
      rows: 42,
      outcome: 'unchanged',
      published: false,
      unchanged: true,
      publishReason: 'the CSV is identical to the published one',
    });
  });
});
