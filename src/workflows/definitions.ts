import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Progress, ProgressUpdate } from '../domain/runReport';

/** Workflow type name; also what `temporal workflow start --type` uses. */
export const CHARGER_ETL_WORKFLOW = 'chargerEtl';

/** Current stage and counters of a run. */
export const progressQuery = defineQuery<Progress>('progress');

/** Live counters sent by the running activity. */
export const progressSignal = defineSignal<[ProgressUpdate]>('progressUpdate');
