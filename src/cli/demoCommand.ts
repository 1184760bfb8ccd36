import type { Command } from 'commander';
import { DEFAULTS } from '../defaults';
import type { DemoOptions } from './demoAction';
import type * as DemoActionModule from './demoAction';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run both datasets offline: a local Temporal dev server with its Web UI, an in-process worker, the bundled NCR sample and the recorded open-data feeds as sources',
    )
    .option('--destination <uri>', 'where to publish', DEFAULTS.destination)
    .option(
      '--keep-running',
      'keep the Temporal server and Web UI up after the run until Ctrl-C (default when run in a terminal)',
    )
    .option('--no-keep-running', 'stop everything as soon as the run ends')
    .option('--json', "print each run's report as one JSON line: charger-models, then charge-points")
    .addHelpText(
      'after',
      '\nUses the Temporal server at TEMPORAL_ADDRESS when it is set; otherwise starts `temporal server start-dev`\n' +
        '(found via TEMPORAL_CLI_PATH, PATH or $(go env GOPATH)/bin, built with `go install` on first use).\n' +
        'Runs chargerEtl over the NCR sample (assets/ncr-public-sample.json), then chargePointsEtl over the recorded\n' +
        "feeds (assets/open-data/, served locally in each feed's paging style), publishing charger_models_UK.csv and\n" +
        'charge_points_UK.csv (+ .manifest.json, .feeds.json) to the destination.',
    )
    .action(async (options: Omit<DemoOptions, 'verbose'>) => {
      const { demoAction } = require('./demoAction') as typeof DemoActionModule;
      await demoAction({ ...options, verbose: program.opts<{ verbose?: boolean }>().verbose });
    });
}
