// What the worker bundles: every workflow the task queue serves.
export { chargerEtl } from './chargerEtl';
