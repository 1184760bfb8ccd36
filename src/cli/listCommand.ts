import type { Command } from 'commander';
import { DATASET_WORKFLOWS } from '../workflows/datasets';
import { parsePositiveInteger } from './optionParsers';
import { formatTable, runFacts, runTable, type RunFacts } from './runFacts';
import { withClient } from './temporalClient';

interface ListOptions {
  limit: number;
  schedule?: string;
  query?: string;
  json?: boolean;
}

export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description(
      'list recent runs of both datasets: status, start, duration, outcome (published, unchanged, not-published), rows, source, and the feeds of charge-points runs',
    )
    .option('--limit <n>', 'how many runs to show', parsePositiveInteger, 20)
    .option('--schedule <scheduleId>', 'only runs this schedule started')
    .option(
      '--query <visibility query>',
      'only runs that also match this Temporal visibility query, e.g. "ExecutionStatus = \'Failed\'"',
    )
    .option('--json', 'print one JSON object per run, one per line')
    .addHelpText(
      'after',
      '\nOutcome and rows come from the memo each successful run writes. With the search attributes registered\n' +
        '(see README), runs can also be queried: --query \'UkChargersOutcome = "published" AND UkChargersRows > 1000\'.\n' +
        'Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* or TEMPORAL_PROFILE.',
    )
    .action((options: ListOptions) =>
      withClient(async (client) => {
        const types = Object.values(DATASET_WORKFLOWS).map((type) => `WorkflowType = '${type}'`);
        const clauses = [`(${types.join(' OR ')})`];
        if (options.schedule) clauses.push(`TemporalScheduledById = '${options.schedule.replace(/'/g, "\\'")}'`);
        if (options.query) clauses.push(`(${options.query})`);
        const runs: RunFacts[] = [];
        for await (const info of client.workflow.list({ query: clauses.join(' AND '), pageSize: options.limit })) {
          runs.push(runFacts(info));
          if (runs.length >= options.limit) break;
        }
        if (options.json) {
          for (const run of runs) console.log(JSON.stringify(run));
        } else if (runs.length === 0) {
          console.log('no chargerEtl or chargePointsEtl runs found');
        } else {
          console.log(formatTable(runTable(runs)));
        }
      }),
    );
}
