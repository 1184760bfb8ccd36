import type { ChargePointsReport } from '../domain/chargePointsRun';
import { formatFeedHealthTable } from './feedHealthTable';
import { formatFeedsSummary, summariseFeeds } from './feedsSummary';
import { formatBytes, publishOutcomeText } from './report';

/** A charge-points run's report as an operator reads it in a terminal: outcome, counts, keys, then the feed-health table. */
export function formatChargePointsReport(report: ChargePointsReport, webUiUrl: string | undefined): string {
  const { stats } = report;
  const outcome = publishOutcomeText(report);
  const lines = [
    `run ${report.workflowId} (${report.runId}): ${outcome} — ${report.publishReason}`,
    `  feeds        ${formatFeedsSummary(summariseFeeds(report.feeds))} (of ${report.feeds.length})`,
    `  locations    seen ${stats.locationsSeen}, unpublished ${stats.locationsUnpublished}, outside the UK ${stats.locationsOutsideUk}`,
    `  evses        seen ${stats.evsesSeen}, kept ${stats.evsesKept}, removed ${stats.evsesRemoved}, duplicates dropped ${stats.duplicatesDropped}, malformed ${stats.malformedRecords}`,
    `  postcodes    missing ${stats.postcodeMissing}, invalid ${stats.postcodeInvalid}, normalised ${stats.postcodeNormalized}; speed unknown ${stats.speedUnknown}; month missing ${stats.monthMissing}`,
    `  csv          ${stats.rows} rows, ${formatBytes(report.csv.bytes)}, sha256 ${report.csv.sha256}`,
    `  stable key   ${report.stableUri}`,
    `  history      ${report.csv.uri}`,
    `  manifest     ${report.manifestUri}`,
    `  feed health  ${report.feedsUri}`,
    `  durations    feeds ${seconds(report.durationsMs.feedsMs)}, merge ${seconds(report.durationsMs.mergeMs)}, upload ${seconds(report.durationsMs.uploadMs)}`,
  ];
  if (webUiUrl) lines.push(`  web ui       ${webUiUrl}`);
  return `${lines.join('\n')}\n\n${formatFeedHealthTable(report.feeds)}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
