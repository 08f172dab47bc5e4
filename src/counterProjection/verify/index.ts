// verify: what the counters should hold, recounted in memory from the event table by the
// projection's own planning (expectedCounts), against what the counts table holds
// (tableCounts), item by item (differences). It only reads.
export type { CountDifference } from './differences.js';
export {
  verifyCounts,
  type VerifyInput,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyReport,
} from './verifyCounts.js';
