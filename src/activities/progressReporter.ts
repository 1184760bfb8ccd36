import { Context } from '@temporalio/activity';
import type { Stage } from '../domain/runReport';
import type { ProgressSink } from './deps';
import { currentRun } from './runContext';

const SIGNAL_INTERVAL_MS = 2_000;

export interface ProgressCounters {
  bytesFetched?: number;
  devicesProcessed?: number;
}

/**
 * Reports an activity's counters: a heartbeat on every update (the SDK throttles
 * them) and, at most every two seconds, a progress signal to the workflow so its
 * `progress` query is live. Progress is best effort and never fails the activity.
 */
export class ProgressReporter {
  private lastSignalAt = 0;
  private pending: Promise<void> = Promise.resolve();
  /** The counters last reported, for the liveness heartbeat. */
  counters: ProgressCounters = {};
  private readonly context = Context.current();

  constructor(
    private readonly sink: ProgressSink,
    private readonly stage: Stage,
  ) {}

  update(counters: ProgressCounters, force = false): void {
    this.counters = counters;
    this.context.heartbeat(counters);
    const now = Date.now();
    if (!force && now - this.lastSignalAt < SIGNAL_INTERVAL_MS) return;
    this.lastSignalAt = now;
    const { workflowId, attempt } = currentRun();
    this.pending = this.sink
      .send(workflowId, { stage: this.stage, attempt, ...counters })
      .catch((error: unknown) => this.context.log.debug('progress signal not delivered', { error: String(error) }));
  }

  /** Waits for the last signal, so the final counters arrive before the activity completes. */
  async flush(): Promise<void> {
    await this.pending;
  }
}
