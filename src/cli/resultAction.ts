import { webUiRunUrl } from '../config';
import type { ChargePointsReport } from '../domain/chargePointsRun';
import type { RunReport } from '../domain/runReport';
import { datasetOfWorkflowType } from '../workflows/datasets';
import { formatChargePointsReport } from './chargePointsReport';
import { formatReport } from './report';
import { runFailure } from './runWorkflow';
import { withClient } from './temporalClient';

export interface ResultOptions {
  runId?: string;
  json?: boolean;
}

/** `uk-chargers result`: a run's report, once it has one. */
export function resultAction(workflowId: string, options: ResultOptions): Promise<void> {
  return withClient(async (client, config) => {
    const handle = client.workflow.getHandle(workflowId, options.runId);
    // describe() first, so an unknown workflow ID is reported as such rather than waited on.
    const { runId, type } = await handle.describe();
    let report: RunReport | ChargePointsReport;
    try {
      report = (await handle.result()) as RunReport | ChargePointsReport;
    } catch (error) {
      throw runFailure(error, workflowId, config);
    }
    const link = webUiRunUrl(config, workflowId, report.runId ?? runId);
    if (options.json) console.log(JSON.stringify({ ...report, webUiUrl: link ?? null }));
    else if (datasetOfWorkflowType(type) === 'charge-points')
      console.log(formatChargePointsReport(report as ChargePointsReport, link));
    else console.log(formatReport(report as RunReport, link));
  });
}
