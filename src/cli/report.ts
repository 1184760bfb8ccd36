import type { RunReport } from '../domain/runReport';

/** What a run did to the stable key, in the report's first line; both datasets say it alike. */
export function publishOutcomeText(report: { published: boolean; unchanged: boolean }): string {
  if (report.published) return 'published';
  return report.unchanged ? 'unchanged (stable CSV left as it was)' : 'not published';
}

/** The run report as an operator reads it in a terminal. */
export function formatReport(report: RunReport, webUiUrl: string | undefined): string {
  const { stats } = report;
  const outcome = publishOutcomeText(report);
  const lines = [
    `run ${report.workflowId} (${report.runId}): ${outcome} — ${report.publishReason}`,
    `  source       ${report.sourceUrl} (${formatBytes(report.rawBytes)})`,
    `  devices      seen ${stats.devicesSeen}, kept ${stats.devicesKept}, dropped without model ${stats.droppedNoModel}, malformed ${stats.malformedRecords}, oversized ${stats.oversizedRecords}`,
    `  postcodes    missing ${stats.postcodeMissing}, invalid ${stats.postcodeInvalid}, normalised ${stats.postcodeNormalized}; month missing ${stats.monthMissing}`,
    `  csv          ${stats.rows} rows, ${formatBytes(report.csv.bytes)}, sha256 ${report.csv.sha256}`,
    `  stable key   ${report.stableUri}`,
    `  history      ${report.csv.uri}`,
    `  manifest     ${report.manifestUri}`,
    `  durations    checkStatus ${seconds(report.durationsMs.checkStatusMs)}, fetchData ${seconds(report.durationsMs.fetchDataMs)}, transform ${seconds(report.durationsMs.transformMs)}, upload ${seconds(report.durationsMs.uploadMs)}`,
  ];
  if (webUiUrl) lines.push(`  web ui       ${webUiUrl}`);
  return lines.join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
