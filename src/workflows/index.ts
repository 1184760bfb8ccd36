// What the worker bundles: every workflow the task queue serves.
export { chargerEtl } from './chargerEtl';
export { chargePointsEtl } from './chargePointsEtl';
export { feedEtl } from './feedEtl';
