import { withClient } from '../temporalClient';

/** `uk-chargers schedule delete`: removes the schedule; the runs it started stay. */
export function scheduleDeleteAction(options: { id: string }): Promise<void> {
  return withClient(async (client) => {
    await client.schedule.getHandle(options.id).delete();
    console.log(`deleted schedule ${options.id}`);
  });
}
