import { createCheckStatus } from './checkStatus';
import type { ActivityDeps } from './deps';
import { createFetchData } from './fetchData';
import { createTransform } from './transform';
import { createUpload } from './upload';

export type { ActivityDeps } from './deps';

/** The four activities of `chargerEtl`, bound to their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    checkStatus: createCheckStatus(deps),
    fetchData: createFetchData(deps),
    transform: createTransform(deps),
    upload: createUpload(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
