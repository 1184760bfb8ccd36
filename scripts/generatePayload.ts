import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_EDGE_RATE, DEFAULT_SEED, type SchemePosition } from '../bench/generator/syntheticRegistry';
import { writePayload } from '../bench/generator/writePayload';

/**
 * `npm run gen -- --devices N --out FILE [--seed S] [--edge-rate R] [--scheme after] [--expected-csv FILE]`:
 * writes a synthetic registry payload (streamed, any size) and prints a one-line
 * JSON summary with the statistics the transform must report for it.
 */

function count(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0)
    throw new InvalidArgumentError('expected a whole number of at least 0');
  return number;
}

function fraction(value: string): number {
  const number = Number(value);
  if (!(number >= 0 && number <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return number;
}

interface GenerateOptions {
  devices: number;
  out: string;
  seed: number;
  edgeRate: number;
  scheme: SchemePosition;
  expectedCsv?: string;
}

const program = new Command('gen')
  .description('write a deterministic synthetic National Chargepoint Registry payload')
  .requiredOption('--devices <n>', 'number of charge devices', count)
  .requiredOption('--out <file>', 'where to write the JSON payload')
  .option('--seed <n>', 'random seed: the same seed and options give the same bytes', count, DEFAULT_SEED)
  .option(
    '--edge-rate <r>',
    'share of devices with one irregular field (postcodes, nulls, numbers, missing model or date)',
    fraction,
    DEFAULT_EDGE_RATE,
  )
  .addOption(
    new Option('--scheme <position>', 'Scheme object before or after the ChargeDevice array')
      .choices(['before', 'after'])
      .default('before'),
  )
  .option('--expected-csv <file>', 'also write the CSV the transform must produce')
  .action(async (options: GenerateOptions) => {
    const summary = await writePayload(
      { devices: options.devices, seed: options.seed, edgeRate: options.edgeRate, schemePosition: options.scheme },
      options.out,
      options.expectedCsv,
    );
    console.log(JSON.stringify(summary));
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`gen: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
