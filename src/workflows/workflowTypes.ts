/**
 * Workflow type names; also what `temporal workflow start --type` uses. Kept
 * apart from the query definitions so that naming a workflow does not load
 * @temporalio/workflow (the CLI's command definitions need the names only).
 */
export const CHARGER_ETL_WORKFLOW = 'chargerEtl';
export const CHARGE_POINTS_ETL_WORKFLOW = 'chargePointsEtl';
/** The child of chargePointsEtl that fetches and normalises one feed. */
export const FEED_ETL_WORKFLOW = 'feedEtl';
