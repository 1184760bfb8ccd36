import { Context } from '@temporalio/activity';
import { progressSignal } from '../workflows/definitions';
import type { ProgressSink } from './deps';

/** Delivers progress as a signal through the worker's own client, bound to the activity's namespace. */
export const workflowSignalProgressSink: ProgressSink = {
  async send(workflowId, update) {
    await Context.current().client.workflow.getHandle(workflowId).signal(progressSignal, update);
  },
};
