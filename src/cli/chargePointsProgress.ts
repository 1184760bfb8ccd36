import type { ChargePointsProgress } from '../domain/chargePointsRun';
import { formatFeedsSummary } from './feedsSummary';

/** Running feeds named in a progress line; the rest are counted, so the line stays short. */
const RUNNING_NAMED = 4;

/** `stage feeds · feeds 3 of 10 done (2 ok, 1 stale) · running chargy, geniepoint`: a charge-points run's progress query, in words. */
export function chargePointsProgressLine(progress: ChargePointsProgress): string {
  return `stage ${chargePointsProgressFacts(progress)}`;
}

/** The progress line without its `stage ` label, as `status` shows it. */
export function chargePointsProgressFacts(progress: ChargePointsProgress): string {
  const stage =
    progress.stage === 'failed' && progress.failedStage ? `failed in ${progress.failedStage}` : progress.stage;
  const done = Object.values(progress.feeds).reduce((sum, count) => sum + (count ?? 0), 0);
  const parts = [
    stage,
    `feeds ${done} of ${progress.total} done${done > 0 ? ` (${formatFeedsSummary(progress.feeds)})` : ''}`,
  ];
  if (progress.running.length > 0) parts.push(`running ${runningFeeds(progress.running)}`);
  if (progress.lastFailure) parts.push(`last failure: ${progress.lastFailure}`);
  return parts.join(' · ');
}

function runningFeeds(running: readonly string[]): string {
  const named = running.slice(0, RUNNING_NAMED).join(', ');
  return running.length > RUNNING_NAMED ? `${named} and ${running.length - RUNNING_NAMED} more` : named;
}
