import type { ScheduleDescription } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import {
  applyScheduleChanges,
  overlapPolicy,
  overlapPolicyName,
  OVERLAP_POLICIES,
  scheduleOptions,
  type ScheduleSettings,
} from '../../src/schedules/scheduleDefinition';

const settings: ScheduleSettings = {
  scheduleId: 'uk-chargers-daily',
  taskQueue: 'uk-chargers',
  timing: { cron: '0 6 * * *' },
  timezone: 'Europe/London',
  overlap: 'skip',
  catchupWindowMs: 3_600_000,
  input: { destination: 's3://bucket/ev/', sourceUrl: undefined },
  paused: false,
};

/** What describe() returns for the schedule `settings` creates, as far as updates read it. */
const described = {
  scheduleId: 'uk-chargers-daily',
  spec: {
    calendars: [{ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] }],
    intervals: [],
    skip: [],
    timezone: 'Europe/London',
    jitter: 60_000,
  },
  action: {
    type: 'startWorkflow',
    workflowType: 'chargerEtl',
    workflowId: 'uk-chargers-daily',
    taskQueue: 'uk-chargers',
    args: [{ destination: 's3://bucket/ev/' }],
  },
  policies: { overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: false },
  state: { paused: true, note: 'maintenance' },
} as unknown as ScheduleDescription;

describe('scheduleOptions', () => {
  it('starts chargerEtl on the task queue with the given input, named after the schedule', () => {
    const options = scheduleOptions(settings);
    expect(options.scheduleId).toBe('uk-chargers-daily');
    expect(options.action).toEqual({
      type: 'startWorkflow',
      workflowType: 'chargerEtl',
      taskQueue: 'uk-chargers',
      workflowId: 'uk-chargers-daily',
      args: [{ destination: 's3://bucket/ev/' }],
    });
    expect(options.spec).toEqual({ cronExpressions: ['0 6 * * *'], timezone: 'Europe/London' });
    expect(options.policies).toEqual({ overlap: 'SKIP', catchupWindow: 3_600_000 });
    expect(options.state?.paused).toBe(false);
  });

  it('turns --every and --jitter into an interval spec, and can start paused', () => {
    const options = scheduleOptions({
      ...settings,
      timing: { everyMs: 86_400_000 },
      timezone: undefined,
      jitterMs: 300_000,
      paused: true,
    });
    expect(options.spec).toEqual({ intervals: [{ every: 86_400_000 }], jitter: 300_000 });
    expect(options.state).toMatchObject({ paused: true });
    expect(options.state?.note).toMatch(/paused/);
  });
});

describe('scheduleOptions for each dataset', () => {
  it('starts chargerEtl for charger-models, as a schedule without a dataset does', () => {
    expect(scheduleOptions({ ...settings, dataset: 'charger-models' }).action).toEqual(
      scheduleOptions(settings).action,
    );
  });

  it('starts chargePointsEtl with the charge-points input for charge-points', () => {
    const options = scheduleOptions({
      ...settings,
      scheduleId: 'uk-chargers-charge-points-daily',
      dataset: 'charge-points',
      input: { feeds: ['chargy', 'mer_uk'], destination: 's3://bucket/ev/' },
    });
    expect(options.action).toEqual({
      type: 'startWorkflow',
      workflowType: 'chargePointsEtl',
      taskQueue: 'uk-chargers',
      workflowId: 'uk-chargers-charge-points-daily',
      args: [{ feeds: ['chargy', 'mer_uk'], destination: 's3://bucket/ev/' }],
    });
  });

  it('switches an existing schedule to the dataset create --update-if-exists names, and keeps it otherwise', () => {
    const switched = applyScheduleChanges(described, {
      dataset: 'charge-points',
      input: { feeds: ['chargy'] },
      resetInput: true,
    });
    expect(switched.action).toMatchObject({ workflowType: 'chargePointsEtl', args: [{ feeds: ['chargy'] }] });
    expect(applyScheduleChanges(described, { overlap: 'skip' }).action.workflowType).toBe('chargerEtl');
  });
});

describe('applyScheduleChanges', () => {
  it('keeps everything not given, including the paused state and its note', () => {
    const updated = applyScheduleChanges(described, { overlap: 'buffer-one' });
    expect(updated.spec).toEqual(described.spec);
    expect(updated.action.args).toEqual([{ destination: 's3://bucket/ev/' }]);
    expect(updated.policies).toEqual({ overlap: 'BUFFER_ONE', catchupWindow: 3_600_000, pauseOnFailure: false });
    expect(updated.state).toEqual({ paused: true, note: 'maintenance' });
  });

  it('replaces the timing but keeps the time zone and jitter unless given', () => {
    expect(applyScheduleChanges(described, { timing: { everyMs: 3_600_000 } }).spec).toEqual({
      intervals: [{ every: 3_600_000 }],
      timezone: 'Europe/London',
      jitter: 60_000,
      skip: [],
    });
    expect(
      applyScheduleChanges(described, { timing: { cron: '30 5 * * *' }, timezone: 'UTC', jitterMs: 0 }).spec,
    ).toEqual({
      cronExpressions: ['30 5 * * *'],
      timezone: 'UTC',
      jitter: 0,
      skip: [],
    });
  });

  it('changes only the time zone of the existing calendar', () => {
    const { spec } = applyScheduleChanges(described, { timezone: 'UTC' });
    expect(spec.calendars).toEqual(described.spec.calendars);
    expect(spec.timezone).toBe('UTC');
  });

  it('merges input fields, or starts from the worker defaults with resetInput', () => {
    expect(applyScheduleChanges(described, { input: { sourceUrl: 'https://reg.test/ncr' } }).action.args).toEqual([
      { destination: 's3://bucket/ev/', sourceUrl: 'https://reg.test/ncr' },
    ]);
    expect(applyScheduleChanges(described, { resetInput: true }).action.args).toEqual([{}]);
    expect(
      applyScheduleChanges(described, { resetInput: true, input: { destination: 'file:./out' } }).action.args,
    ).toEqual([{ destination: 'file:./out' }]);
  });

  it('moves the schedule to another task queue and can pause or unpause it', () => {
    const updated = applyScheduleChanges(described, { taskQueue: 'other', paused: false });
    expect(updated.action.taskQueue).toBe('other');
    expect(updated.action.workflowId).toBe('uk-chargers-daily');
    expect(updated.state).toMatchObject({ paused: false });
  });
});

describe('overlap policies', () => {
  it('map between the CLI spelling and the SDK constant, both ways', () => {
    for (const name of OVERLAP_POLICIES) expect(overlapPolicyName(overlapPolicy(name))).toBe(name);
    expect(overlapPolicy('terminate-other')).toBe('TERMINATE_OTHER');
  });
});
