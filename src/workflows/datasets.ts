import { CHARGE_POINTS_ETL_WORKFLOW, CHARGER_ETL_WORKFLOW } from './workflowTypes';

/** The datasets this service publishes, as the CLI names them, and the workflow type that builds each. */
export const DATASET_WORKFLOWS = {
  'charger-models': CHARGER_ETL_WORKFLOW,
  'charge-points': CHARGE_POINTS_ETL_WORKFLOW,
} as const;

export type DatasetName = keyof typeof DATASET_WORKFLOWS;
export const DATASETS = Object.keys(DATASET_WORKFLOWS) as DatasetName[];
export const DEFAULT_DATASET: DatasetName = 'charger-models';

/** The dataset a workflow type builds; undefined for any other type (e.g. the feedEtl child). */
export function datasetOfWorkflowType(workflowType: string | undefined): DatasetName | undefined {
  return DATASETS.find((dataset) => DATASET_WORKFLOWS[dataset] === workflowType);
}
