import { overlapPolicy, type OverlapPolicyName } from '../../schedules/scheduleDefinition';
import { CliError } from '../cliError';
import { withClient } from '../temporalClient';

export interface BackfillOptions {
  id: string;
  from: Date;
  to: Date;
  overlap: OverlapPolicyName;
}

/** `uk-chargers schedule backfill`: starts now the runs the schedule would have started in a past range. */
export function scheduleBackfillAction(options: BackfillOptions): Promise<void> {
  return withClient(async (client) => {
    if (options.from.getTime() >= options.to.getTime()) throw new CliError('--from must be before --to');
    await client.schedule
      .getHandle(options.id)
      .backfill({ start: options.from, end: options.to, overlap: overlapPolicy(options.overlap) });
    console.log(
      `backfilling schedule ${options.id} from ${options.from.toISOString()} to ${options.to.toISOString()} ` +
        `with overlap ${options.overlap}; the runs appear in uk-chargers schedule describe --id ${options.id}`,
    );
  });
}
