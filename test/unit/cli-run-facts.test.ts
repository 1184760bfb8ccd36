import type { WorkflowExecutionInfo } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  formatRunStatus,
  formatTable,
  runFacts,
  runTable,
  runTableRow,
  withChargePointsReport,
  withReport,
  type RunStatus,
} from '../../src/cli/runFacts';
import type { ChargePointsReport } from '../../src/domain/chargePointsRun';
import type { RunReport } from '../../src/domain/runReport';
import { progressLine } from '../../src/cli/runWorkflow';

function execution(overrides: Partial<Omit<WorkflowExecutionInfo, 'raw'>> = {}): Omit<WorkflowExecutionInfo, 'raw'> {
  return {
    type: 'chargerEtl',
    workflowId: 'uk-chargers-daily-2025-01-31T06:00:00Z',
    runId: 'run-1',
    taskQueue: 'uk-chargers',
    status: { code: 2, name: 'COMPLETED' },
    historyLength: 40,
    startTime: new Date('2025-01-31T06:00:03Z'),
    closeTime: new Date('2025-01-31T06:01:33Z'),
    memo: {
      source: 'https://reg.test/ncr',
      rows: 1234,
      outcome: 'published',
      published: true,
      unchanged: false,
      publishReason: 'passes the publish guard',
    },
    searchAttributes: {},
    typedSearchAttributes: new TypedSearchAttributes([
      {
        key: defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD),
        value: 'uk-chargers-daily',
      },
    ]),
    ...overrides,
  };
}

describe('runFacts', () => {
  it('reads a run from its visibility record and memo', () => {
    expect(runFacts(execution())).toEqual({
      workflowId: 'uk-chargers-daily-2025-01-31T06:00:00Z',
      runId: 'run-1',
      status: 'COMPLETED',
      taskQueue: 'uk-chargers',
      startTime: '2025-01-31T06:00:03.000Z',
      closeTime: '2025-01-31T06:01:33.000Z',
      durationMs: 90_000,
      scheduledBy: 'uk-chargers-daily',
      source: 'https://reg.test/ncr',
      outcome: 'published',
      rows: 1234,
      published: true,
      unchanged: false,
      publishReason: 'passes the publish guard',
      dataset: 'charger-models',
      feeds: null,
    });
  });

  it('leaves unknown facts null for a run still going (memo: source only), timing it until now', () => {
    const facts = runFacts(
      execution({
        status: { code: 1, name: 'RUNNING' },
        closeTime: undefined,
        memo: { source: 'https://reg.test/ncr' },
        typedSearchAttributes: new TypedSearchAttributes(),
      }),
      new Date('2025-01-31T06:00:13Z'),
    );
    expect(facts).toMatchObject({
      status: 'RUNNING',
      closeTime: null,
      durationMs: 10_000,
      scheduledBy: null,
      outcome: null,
      rows: null,
      published: null,
    });
  });

  it('prefers the report of a completed run over its memo', () => {
    const report = {
      sourceUrl: 'https://reg.test/v2',
      stats: { rows: 7 },
      published: false,
      unchanged: true,
      publishReason: 'identical',
    } as RunReport;
    expect(withReport(runFacts(execution({ memo: {} })), report)).toMatchObject({
      source: 'https://reg.test/v2',
      outcome: 'unchanged',
      rows: 7,
      published: false,
      unchanged: true,
    });
  });
});

describe('list and status output', () => {
  it('lists runs in aligned columns', () => {
    const facts = runFacts(execution());
    expect(
      formatTable([
        ['WORKFLOW ID', 'STATUS', 'ROWS'],
        ['a', 'COMPLETED', '3'],
        ['longer-id', 'FAILED', '-'],
      ]),
    ).toBe('WORKFLOW ID  STATUS     ROWS\na            COMPLETED  3\nlonger-id    FAILED     -');
    expect(runTableRow(facts)).toEqual([
      'uk-chargers-daily-2025-01-31T06:00:00Z',
      'COMPLETED',
      '2025-01-31T06:00:03Z',
      '1m30s',
      'published',
      '1234',
      'https://reg.test/ncr',
    ]);
  });

  it('shows stage, counters, attempts and the last failure of a run being retried', () => {
    const status: RunStatus = {
      run: runFacts(
        execution({
          status: { code: 1, name: 'RUNNING' },
          closeTime: undefined,
          memo: { source: 'https://reg.test/ncr' },
        }),
        new Date('2025-01-31T06:02:03Z'),
      ),
      progress: { stage: 'fetchData', fetchRounds: 1 },
      progressUnavailable: null,
      pendingActivities: [
        {
          activity: 'fetchData',
          state: 'STARTED',
          attempt: 3,
          maximumAttempts: 10,
          lastFailure: 'registry returned 503',
          progress: { bytesFetched: 3 * 1024 * 1024 },
        },
      ],
      failure: null,
      webUiUrl: 'http://ui/run',
    };
    expect(formatRunStatus(status).split('\n')).toEqual([
      'run uk-chargers-daily-2025-01-31T06:00:00Z (run-1)',
      '  status       RUNNING, started 2025-01-31T06:00:03.000Z, running for 2m',
      '  task queue   uk-chargers, started by schedule uk-chargers-daily',
      '  source       https://reg.test/ncr',
      '  stage        fetchData',
      '  activity     fetchData started, attempt 3 of 10, fetched 3.0 MiB, last failure: registry returned 503',
      '  web ui       http://ui/run',
    ]);
  });

  it('shows the outcome of a completed run and the failure of a failed one', () => {
    const base: RunStatus = {
      run: runFacts(execution()),
      progress: null,
      progressUnavailable: null,
      pendingActivities: [],
      failure: null,
      webUiUrl: null,
    };
    expect(formatRunStatus(base)).toContain('\n  outcome      published, 1234 rows — passes the publish guard');
    const failed = formatRunStatus({
      ...base,
      run: runFacts(execution({ status: { code: 3, name: 'FAILED' }, memo: { source: 'https://reg.test/ncr' } })),
      failure: 'failed in transform [PayloadError]: not JSON',
    });
    expect(failed).not.toContain('outcome');
    expect(failed).toContain('\n  failure      failed in transform [PayloadError]: not JSON');
  });
});

describe("run's live progress line", () => {
  const activity = { activity: 'transform', state: 'STARTED', attempt: 1, maximumAttempts: 5, lastFailure: null };

  it('shows the stage and the counters the activity heartbeat', () => {
    expect(progressLine({ ...activity, progress: { devicesProcessed: 1200 } })).toBe('stage transform · devices 1200');
    expect(progressLine({ ...activity, progress: null })).toBe('stage transform');
  });

  it('shows the attempt and why the last one failed while a stage is being retried', () => {
    const retrying = {
      ...activity,
      activity: 'checkStatus',
      state: 'SCHEDULED',
      attempt: 5,
      lastFailure: 'registry at https://reg.test/ncr could not be reached (getaddrinfo ENOTFOUND reg.test)',
      progress: null,
    };
    expect(progressLine(retrying)).toBe(
      'stage checkStatus · attempt 5 · last failure: registry at https://reg.test/ncr could not be reached (getaddrinfo ENOTFOUND reg.test)',
    );
  });
});

describe('charge-points runs in list and status', () => {
  const chargePoints = execution({
    type: 'chargePointsEtl',
    workflowId: 'uk-chargers-charge-points-20250131T060000Z',
    memo: {
      source: 'open-data feeds',
      dataset: 'charge_points_UK',
      rows: 40,
      outcome: 'published',
      published: true,
      unchanged: false,
      publishReason: 'passes the publish guard',
      feeds: { ok: 8, stale: 1, failed: 1 },
    },
  });

  it('reads the dataset from the workflow type and the feeds summary from the memo', () => {
    expect(runFacts(chargePoints)).toMatchObject({ dataset: 'charge-points', feeds: { ok: 8, stale: 1, failed: 1 } });
    expect(runFacts(execution({ type: 'feedEtl' })).dataset).toBeNull();
  });

  it('lists charger-models runs as before, and adds DATASET and FEEDS columns when a charge-points run is listed', () => {
    const models = runFacts(execution());
    expect(runTable([models])).toEqual([
      ['WORKFLOW ID', 'STATUS', 'STARTED', 'DURATION', 'OUTCOME', 'ROWS', 'SOURCE'],
      runTableRow(models),
    ]);
    expect(runTable([runFacts(chargePoints), models])).toEqual([
      ['WORKFLOW ID', 'DATASET', 'STATUS', 'STARTED', 'DURATION', 'OUTCOME', 'ROWS', 'FEEDS', 'SOURCE'],
      [
        'uk-chargers-charge-points-20250131T060000Z',
        'charge-points',
        'COMPLETED',
        '2025-01-31T06:00:03Z',
        '1m30s',
        'published',
        '40',
        '8 ok, 1 stale, 1 failed',
        'open-data feeds',
      ],
      [
        'uk-chargers-daily-2025-01-31T06:00:00Z',
        'charger-models',
        'COMPLETED',
        '2025-01-31T06:00:03Z',
        '1m30s',
        'published',
        '1234',
        '-',
        'https://reg.test/ncr',
      ],
    ]);
  });

  it('status of a running charge-points run shows its stage, feeds done and each running child with its activity', () => {
    const status: RunStatus = {
      run: runFacts(
        execution({
          type: 'chargePointsEtl',
          workflowId: 'cp',
          status: { code: 1, name: 'RUNNING' },
          closeTime: undefined,
          memo: { source: 'open-data feeds', dataset: 'charge_points_UK' },
          typedSearchAttributes: new TypedSearchAttributes(),
        }),
        new Date('2025-01-31T06:00:13Z'),
      ),
      progress: null,
      progressUnavailable: null,
      pendingActivities: [],
      failure: null,
      webUiUrl: null,
      chargePointsProgress: { stage: 'feeds', feeds: { ok: 1 }, running: ['chargy', 'jolt'], total: 3 },
      runningFeeds: [
        {
          feed: 'chargy',
          workflowId: 'cp-feed-chargy',
          pendingActivities: [
            {
              activity: 'fetchFeedPage',
              state: 'SCHEDULED',
              attempt: 2,
              maximumAttempts: 0,
              lastFailure: 'GET http://feeds.test/chargy answered 503',
              progress: null,
            },
          ],
        },
        { feed: 'jolt', workflowId: 'cp-feed-jolt', pendingActivities: [] },
      ],
    };
    expect(formatRunStatus(status).split('\n')).toEqual([
      'run cp (run-1)',
      '  status       RUNNING, started 2025-01-31T06:00:03.000Z, running for 10s',
      '  task queue   uk-chargers',
      '  dataset      charge-points (chargePointsEtl)',
      '  source       open-data feeds',
      '  stage        feeds · feeds 1 of 3 done (1 ok) · running chargy, jolt',
      '  feed         chargy: fetchFeedPage scheduled, attempt 2, last failure: GET http://feeds.test/chargy answered 503',
      '  feed         jolt: running, no activity pending',
    ]);
  });

  it('status of a completed charge-points run gives its outcome and feeds, from its report', () => {
    const report = {
      stats: { rows: 9 },
      published: true,
      unchanged: false,
      publishReason: 'passes the publish guard',
      feeds: [{ status: 'ok' }, { status: 'failed' }],
    } as ChargePointsReport;
    const run = withChargePointsReport(runFacts(execution({ type: 'chargePointsEtl', memo: {} })), report);
    const text = formatRunStatus({
      run,
      progress: null,
      progressUnavailable: null,
      pendingActivities: [],
      failure: null,
      webUiUrl: null,
    });
    expect(text).toContain(
      '\n  outcome      published, 9 rows — passes the publish guard\n  feeds        1 ok, 1 failed',
    );
    expect(run.source).toBe('open-data feeds');
  });
});
