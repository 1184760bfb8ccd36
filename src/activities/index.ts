import { createCheckStatus } from './checkStatus';
import type { ActivityDeps } from './deps';
import { createFetchData } from './fetchData';
import { createPublishChargePoints } from './publishChargePoints';
import { createTransform } from './transform';
import { createUpload } from './upload';

export type { ActivityDeps } from './deps';

/** The activities of `chargerEtl` and of `chargePointsEtl`, bound to their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    checkStatus: createCheckStatus(deps),
    fetchData: createFetchData(deps),
    transform: createTransform(deps),
    upload: createUpload(deps),
    publishChargePoints: createPublishChargePoints(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
