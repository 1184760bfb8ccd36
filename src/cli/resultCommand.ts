import type { Command } from 'commander';
import { webUiRunUrl } from '../config';
import type { ChargePointsReport } from '../domain/chargePointsRun';
import type { RunReport } from '../domain/runReport';
import { datasetOfWorkflowType } from '../workflows/datasets';
import { formatChargePointsReport } from './chargePointsReport';
import { formatReport } from './report';
import { runFailure } from './runWorkflow';
import { withClient } from './temporalClient';

interface ResultOptions {
  runId?: string;
  json?: boolean;
}

export function registerResultCommand(program: Command): void {
  program
    .command('result')
    .description(
      'print the report of a run, waiting for it to finish if it is still going; a failed run is one line and exit code 1',
    )
    .argument('<workflowId>', "the run's workflow ID")
    .option('--run-id <runId>', 'a particular run of that workflow ID (default: the latest)')
    .option('--json', 'print the run report as one JSON line')
    .addHelpText(
      'after',
      '\nConnection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* or TEMPORAL_PROFILE.',
    )
    .action((workflowId: string, options: ResultOptions) =>
      withClient(async (client, config) => {
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
      }),
    );
}
