import { withClient } from '../temporalClient';

export interface PauseOptions {
  id: string;
  reason?: string;
}

/** `uk-chargers schedule pause` (paused) and `unpause`: the note records who or why. */
export function schedulePauseAction(paused: boolean, options: PauseOptions): Promise<void> {
  return withClient(async (client) => {
    const handle = client.schedule.getHandle(options.id);
    await (paused ? handle.pause(options.reason) : handle.unpause(options.reason));
    console.log(`${paused ? 'paused' : 'unpaused'} schedule ${options.id} (${options.reason})`);
  });
}
