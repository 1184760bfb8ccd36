import { Option, type Command } from 'commander';
import type { TransformOptions } from './transformAction';
import type * as TransformActionModule from './transformAction';

export function registerTransformCommand(program: Command): void {
  program
    .command('transform')
    .description('apply the transform rules to a registry payload or open-data feed pages locally, without Temporal')
    .requiredOption(
      '--input <path|url>',
      'JSON file or http(s) URL: the registry payload (optionally gzip-compressed), or with --format ocpi one response body, repeated for each page in page order',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .requiredOption('--output <path>', 'where to write the CSV (replaced atomically)')
    .option('--json', 'print the stats as one JSON line on stdout')
    .addOption(
      new Option(
        '--format <format>',
        'ncr: a registry payload to charger_models_UK.csv; ocpi: open-data feed pages to charge_points_UK.csv',
      )
        .choices(['ncr', 'ocpi'])
        .default('ncr'),
    )
    .option('--operator <name>', "with --format ocpi: the feed's name, the Operator of Locations that name none")
    .action(async (options: TransformOptions) => {
      const { transformAction } = require('./transformAction') as typeof TransformActionModule;
      await transformAction(options);
    });
}
