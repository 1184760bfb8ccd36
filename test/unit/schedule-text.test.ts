import type { CalendarSpecDescription, ScheduleDescription } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/domain/duration';
import { calendarToCron, describeTiming, formatScheduleDescription } from '../../src/schedules/scheduleText';

/** The structured calendar the server keeps for `cron` (as describe() returns it). */
function calendar(overrides: Partial<CalendarSpecDescription>): CalendarSpecDescription {
  return {
    second: [{ start: 0, end: 0, step: 1 }],
    minute: [{ start: 0, end: 59, step: 1 }],
    hour: [{ start: 0, end: 23, step: 1 }],
    dayOfMonth: [{ start: 1, end: 31, step: 1 }],
    month: [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }],
    year: [],
    dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }],
    comment: '',
    ...overrides,
  };
}

describe('calendarToCron', () => {
  it('writes back the cron expressions operators type', () => {
    const sixAm = { minute: [{ start: 0, end: 0, step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] };
    expect(calendarToCron(calendar(sixAm))).toBe('0 6 * * *');
    expect(calendarToCron(calendar({ ...sixAm, dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }] }))).toBe(
      '0 6 * * MON-FRI',
    );
    expect(calendarToCron(calendar({ minute: [{ start: 0, end: 59, step: 15 }] }))).toBe('*/15 * * * *');
    expect(
      calendarToCron(
        calendar({
          ...sixAm,
          dayOfMonth: [
            { start: 1, end: 1, step: 1 },
            { start: 15, end: 15, step: 1 },
          ],
          month: [{ start: 'MARCH', end: 'MARCH', step: 1 }],
        }),
      ),
    ).toBe('0 6 1,15 MAR *');
  });

  it('mentions seconds and years only when they are not the defaults', () => {
    expect(
      calendarToCron(
        calendar({ second: [{ start: 30, end: 30, step: 1 }], year: [{ start: 2030, end: 2030, step: 1 }] }),
      ),
    ).toBe('* * * * * (second 30, year 2030)');
  });
});

describe('formatDuration', () => {
  it('writes durations the way --every and --jitter read them', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(3_600_000 + 1_000)).toBe('1h1s');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(0)).toBe('0s');
  });
});

describe('describeTiming', () => {
  it('names cron or interval, the zone and the jitter', () => {
    expect(describeTiming({ intervals: [{ every: 86_400_000, offset: 0 }], timezone: 'UTC' })).toBe('every 1d in UTC');
    expect(
      describeTiming({
        calendars: [calendar({ minute: [{ start: 0, end: 0, step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] })],
        timezone: 'Europe/London',
        jitter: 300_000,
      }),
    ).toBe('cron 0 6 * * * in Europe/London, jitter up to 5m');
    expect(describeTiming({ intervals: [{ every: 3_600_000, offset: 900_000 }] })).toBe('every 1h (offset 15m)');
  });
});

describe('formatScheduleDescription', () => {
  it('shows state, spec, input, policies, counts, recent runs newest first and next times', () => {
    const description = {
      scheduleId: 'uk-chargers-daily',
      spec: { intervals: [{ every: 86_400_000, offset: 0 }], timezone: 'UTC' },
      action: { type: 'startWorkflow', workflowType: 'chargerEtl', taskQueue: 'uk-chargers', args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: 3_600_000, pauseOnFailure: false },
      state: { paused: false },
      info: {
        numActionsTaken: 2,
        numActionsSkippedOverlap: 1,
        numActionsMissedCatchupWindow: 0,
        runningActions: [],
        recentActions: ['2025-01-01', '2025-01-02'].map((day) => ({
          scheduledAt: new Date(`${day}T00:00:00Z`),
          takenAt: new Date(`${day}T00:00:01Z`),
          action: {
            type: 'startWorkflow',
            workflow: { workflowId: `uk-chargers-daily-${day}T00:00:00Z`, firstExecutionRunId: 'r' },
          },
        })),
        nextActionTimes: [new Date('2025-01-03T00:00:00Z')],
      },
    } as unknown as ScheduleDescription;
    const text = formatScheduleDescription(description, 'http://ui/namespaces/default/schedules/uk-chargers-daily');
    expect(text.split('\n')).toEqual([
      'schedule uk-chargers-daily: active',
      '  spec         every 1d in UTC',
      "  starts       chargerEtl (charger-models) on task queue uk-chargers, input {} (the worker's defaults)",
      '  policies     overlap skip, catch-up window 1h',
      '  actions      2 taken, 1 skipped by the overlap policy, 0 missed the catch-up window',
      '  recent       2025-01-02T00:00:01.000Z  uk-chargers-daily-2025-01-02T00:00:00Z',
      '  recent       2025-01-01T00:00:01.000Z  uk-chargers-daily-2025-01-01T00:00:00Z',
      '  next         2025-01-03T00:00:00.000Z',
      '  web ui       http://ui/namespaces/default/schedules/uk-chargers-daily',
    ]);
  });
});
