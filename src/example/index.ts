export { counters, reactions, sourceEventStores } from './counters.js';
export { makeCountReachedStore, makeOrdersStore, makeUsersStore } from './eventStores.js';
export {
  type ExpectedCount,
  expectedCounts,
  expectedThresholdCrossings,
} from './expectedCounts.js';
export { type PushedEvent, pushWorkload } from './pushWorkload.js';
export { planWorkload } from './workloadPlan.js';
