// The shard watermark: shardWatermark counters count each stream record once through a mark
// per shard in each counts item they write, instead of a ref per event (docs/counters.md,
// "Idempotency"; the invariant: countsItems/watermarkedUpdate.ts). The counting path reaches
// it through one seam: routeBatch (what a delivery means for these counters: claim, set
// aside, gaps, replays, rebuilds) and commitMarks (their increments written). The rest is
// what reads, rebuilds and operators need of it.
export { commitMarks } from './commitMarks.js';
export { IN_DOUBT_MS } from './inDoubt.js';
export { markNotExact, refuseIfNotExact } from './notExactMarks.js';
export { readRebuildMarks } from './rebuildMarks.js';
export { rebuildWithMarks } from './rebuildWithMarks.js';
export { routeBatch, type RoutedBatch } from './routeBatch.js';
export {
  type Delivery,
  hasWatermarkCounter,
  isWatermarkCounter,
  requireShard,
} from './watermarkCounters.js';
