import { defineQuery } from '@temporalio/workflow';
import type { ChargePointsProgress, FeedProgress } from '../domain/chargePointsRun';
import type { Progress } from '../domain/runReport';

/** Workflow type names; also what `temporal workflow start --type` uses. */
export const CHARGER_ETL_WORKFLOW = 'chargerEtl';
export const CHARGE_POINTS_ETL_WORKFLOW = 'chargePointsEtl';
/** The child of chargePointsEtl that fetches and normalises one feed. */
export const FEED_ETL_WORKFLOW = 'feedEtl';

/** The run's stage, fetch rounds and last failure: what the workflow itself knows. */
export const progressQuery = defineQuery<Progress>('progress');

/** A charge-points run's stage and its feeds' outcomes so far. */
export const chargePointsProgressQuery = defineQuery<ChargePointsProgress>('chargePointsProgress');

/** A feed child's stage, pages so far and what it waits for. */
export const feedProgressQuery = defineQuery<FeedProgress>('feedProgress');
