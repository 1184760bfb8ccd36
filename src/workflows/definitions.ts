import { defineQuery } from '@temporalio/workflow';
import type { ChargePointsProgress, FeedProgress } from '../domain/chargePointsRun';
import type { Progress } from '../domain/runReport';

/** The type names too, so a workflow's name and its queries come from one import. */
export { CHARGE_POINTS_ETL_WORKFLOW, CHARGER_ETL_WORKFLOW, FEED_ETL_WORKFLOW } from './workflowTypes';

/** The run's stage, fetch rounds and last failure: what the workflow itself knows. */
export const progressQuery = defineQuery<Progress>('progress');

/** A charge-points run's stage and its feeds' outcomes so far. */
export const chargePointsProgressQuery = defineQuery<ChargePointsProgress>('chargePointsProgress');

/** A feed child's stage, pages so far and what it waits for. */
export const feedProgressQuery = defineQuery<FeedProgress>('feedProgress');
