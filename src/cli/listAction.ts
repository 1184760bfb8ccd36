import { DATASET_WORKFLOWS } from '../workflows/datasets';
import { formatTable, runFacts, runTable, type RunFacts } from './runFacts';
import { withClient } from './temporalClient';

export interface ListOptions {
  limit: number;
  schedule?: string;
  query?: string;
  json?: boolean;
}

/** `uk-chargers list`: recent runs of both datasets. */
export function listAction(options: ListOptions): Promise<void> {
  return withClient(async (client) => {
    const types = Object.values(DATASET_WORKFLOWS).map((type) => `WorkflowType = '${type}'`);
    const clauses = [`(${types.join(' OR ')})`];
    if (options.schedule) clauses.push(`TemporalScheduledById = '${options.schedule.replace(/'/g, "\\'")}'`);
    if (options.query) clauses.push(`(${options.query})`);
    const runs: RunFacts[] = [];
    for await (const info of client.workflow.list({ query: clauses.join(' AND '), pageSize: options.limit })) {
      runs.push(runFacts(info));
      if (runs.length >= options.limit) break;
    }
    if (options.json) {
      for (const run of runs) console.log(JSON.stringify(run));
    } else if (runs.length === 0) {
      console.log('no chargerEtl or chargePointsEtl runs found');
    } else {
      console.log(formatTable(runTable(runs)));
    }
  });
}
