import type {
  CalendarSpecDescription,
  Range,
  ScheduleDescription,
  ScheduleSpecDescription,
  ScheduleSummary,
} from '@temporalio/client';
import { formatDuration } from '../domain/duration';
import { datasetOfWorkflowType } from '../workflows/datasets';
import { overlapPolicyName } from './scheduleDefinition';

/**
 * Schedules as operators read them. The server keeps a cron expression only in
 * its structured form, so it is written back as cron here.
 */

/** `cron 0 6 * * * in Europe/London, jitter up to 5m` or `every 24h`. */
export function describeTiming(spec: ScheduleSpecDescription | undefined): string {
  if (!spec) return 'unknown';
  const parts = [
    ...(spec.calendars ?? []).map((calendar) => `cron ${calendarToCron(calendar)}`),
    ...(spec.intervals ?? []).map(
      ({ every, offset }) => `every ${formatDuration(every)}${offset ? ` (offset ${formatDuration(offset)})` : ''}`,
    ),
  ];
  let text = parts.length > 0 ? parts.join(', ') : 'no times';
  if (spec.timezone) text += ` in ${spec.timezone}`;
  if (spec.jitter) text += `, jitter up to ${formatDuration(spec.jitter)}`;
  return text;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A structured calendar as a five-field cron expression; seconds and years other than the defaults are added in words. */
export function calendarToCron(calendar: CalendarSpecDescription): string {
  const field = <T>(
    ranges: Range<T>[] | undefined,
    first: number,
    last: number,
    index: (value: T) => number,
    name?: string[],
  ): string => {
    if (!ranges || ranges.length === 0) return '*';
    return ranges
      .map((range) => {
        const start = index(range.start);
        const end = index(range.end ?? range.start);
        const step = range.step && range.step > 1 ? `/${range.step}` : '';
        const label = (value: number): string => name?.[value] ?? String(value);
        if (start === first && end === last) return `*${step}`;
        return start === end && !step ? label(start) : `${label(start)}-${label(end)}${step}`;
      })
      .join(',');
  };
  const number = (value: number): number => value;
  const cron = [
    field(calendar.minute, 0, 59, number),
    field(calendar.hour, 0, 23, number),
    field(calendar.dayOfMonth, 1, 31, number),
    field(calendar.month, 0, 11, (month) => MONTHS.indexOf(month.slice(0, 3)), MONTHS),
    field(calendar.dayOfWeek, 0, 6, (day) => DAYS.indexOf(day.slice(0, 3)), DAYS),
  ].join(' ');
  const seconds = field(calendar.second, 0, 59, number);
  const extras = [
    seconds !== '0' ? `second ${seconds}` : '',
    calendar.year?.length ? `year ${field(calendar.year, -1, -1, number)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return extras ? `${cron} (${extras})` : cron;
}

/** `uk-chargers schedule describe` output. */
export function formatScheduleDescription(description: ScheduleDescription, webUiUrl: string | undefined): string {
  const { info, state, policies, action } = description;
  const input: unknown = action.args?.[0];
  const inputText =
    typeof input === 'object' && input !== null && Object.keys(input).length > 0
      ? JSON.stringify(input)
      : "{} (the worker's defaults)";
  const lines = [
    `schedule ${description.scheduleId}: ${state.paused ? 'paused' : 'active'}${state.note ? ` — ${state.note}` : ''}`,
    `  spec         ${describeTiming(description.spec)}`,
    `  starts       ${action.workflowType} (${datasetOfWorkflowType(action.workflowType) ?? 'unknown dataset'}) on task queue ${action.taskQueue}, input ${inputText}`,
    `  policies     overlap ${overlapPolicyName(policies.overlap)}, catch-up window ${formatDuration(policies.catchupWindow)}${policies.pauseOnFailure ? ', pause on failure' : ''}`,
    `  actions      ${info.numActionsTaken} taken, ${info.numActionsSkippedOverlap} skipped by the overlap policy, ${info.numActionsMissedCatchupWindow} missed the catch-up window`,
  ];
  for (const running of info.runningActions) lines.push(`  running      ${running.workflow.workflowId}`);
  for (const recent of [...info.recentActions].reverse()) {
    lines.push(`  recent       ${recent.takenAt.toISOString()}  ${recent.action.workflow.workflowId}`);
  }
  lines.push(
    `  next         ${
      state.paused
        ? '(paused)'
        : info.nextActionTimes
            .slice(0, 3)
            .map((time) => time.toISOString())
            .join(', ') || '(none)'
    }`,
  );
  if (webUiUrl) lines.push(`  web ui       ${webUiUrl}`);
  return lines.join('\n');
}

/** One line of `uk-chargers schedule list`. */
export function formatScheduleSummary(summary: ScheduleSummary): string {
  const last = summary.info.recentActions.at(-1);
  const next = summary.info.nextActionTimes[0];
  return [
    summary.scheduleId,
    summary.state.paused ? 'paused' : 'active',
    describeTiming(summary.spec),
    `next ${summary.state.paused || !next ? '-' : next.toISOString()}`,
    `last ${last ? `${last.takenAt.toISOString()} ${last.action.workflow.workflowId}` : '-'}`,
    `dataset ${datasetOfWorkflowType(summary.action?.workflowType) ?? '-'}`,
  ].join('  ');
}
