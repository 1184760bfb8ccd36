import { defineQuery } from '@temporalio/workflow';
import type { Progress } from '../domain/runReport';

/** Workflow type name; also what `temporal workflow start --type` uses. */
export const CHARGER_ETL_WORKFLOW = 'chargerEtl';

/** The run's stage, fetch rounds and last failure: what the workflow itself knows. */
export const progressQuery = defineQuery<Progress>('progress');
