import type { Command } from 'commander';
import { parsePositiveInteger } from './optionParsers';
import type { ListOptions } from './listAction';
import type * as ListActionModule from './listAction';

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
    .action(async (options: ListOptions) => {
      const { listAction } = require('./listAction') as typeof ListActionModule;
      await listAction(options);
    });
}
