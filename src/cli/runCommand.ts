import type { Command } from 'commander';
import { DEFAULT_DATASET } from '../workflows/datasets';
import { collectValues, parseDataset } from './optionParsers';
import type { RunOptions } from './runAction';
import type * as RunActionModule from './runAction';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('start a run on the configured Temporal server, wait for it and print its report')
    .option('--source-url <url>', "registry URL for this run (default: the worker's SOURCE_URL); charger-models only")
    .option('--destination <uri>', "s3://bucket/prefix/ or file:DIR (default: the worker's DESTINATION)")
    .option('--force', 'publish even if the publish guard objects or the source is unchanged')
    .option(
      '--workflow-id <id>',
      'workflow ID to use (default: uk-chargers-<UTC timestamp>, uk-chargers-charge-points-<UTC timestamp>)',
    )
    .option('--json', 'print the run report as one JSON line on stdout; progress goes to stderr as plain lines')
    .option('--no-wait', 'print the workflow ID and Web UI link and return at once; follow it with status or result')
    .option(
      '--dataset <name>',
      'charger-models (chargerEtl: charger_models_UK.csv from the registry) or charge-points (chargePointsEtl: charge_points_UK.csv from the open-data feeds)',
      parseDataset,
      DEFAULT_DATASET,
    )
    .option(
      '--feed <id>',
      'charge-points only: fetch this catalogue feed (repeat for more; default: every enabled feed)',
      collectValues,
    )
    .addHelpText(
      'after',
      '\nIn a terminal, progress updates on one line (charger-models: stage, bytes fetched, devices processed;\n' +
        'charge-points: stage, feeds done per status, feeds running); otherwise one line per change.\n' +
        'The worker (npm run worker) must be polling the task queue. Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,\nTEMPORAL_API_KEY, TEMPORAL_TLS_* or a profile from the Temporal config file (TEMPORAL_PROFILE).',
    )
    .action(async (options: RunOptions) => {
      const { runAction } = require('./runAction') as typeof RunActionModule;
      await runAction(options);
    });
}
