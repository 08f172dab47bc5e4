// The counts table's items, one codec per shape: each file builds the writes of its shape
// and decodes what is read back, so that writer and readers cannot drift apart. Counter
// names contain no '#' and the key comes last, so every partition key is injective.
//   total   pk T#<counter>#<key>              sk "total"     (totalItem.ts)
//   window  pk W#<counter>#<window>#<key>     sk <bucket>    (windowItem.ts)
//   ref     pk R#<counter>#<shard>#<key>      sk <targetRef> (refItem.ts)
//   not exact  pk X                           sk <counter>   (notExactItem.ts)
//   set aside  pk A                           sk <shardId>#<sequence number> (asideItem.ts)
//   rebuilt    pk C                           sk <counter>   (rebuildItem.ts)
// A per-key target is an attribute of the total item; a shardWatermark counter's totals and
// buckets also hold a mark per stream shard (shardMarks.ts, written by watermarkedUpdate.ts).
export { asideItem, type AsideRecord } from './asideItem.js';
export type { CountGuard } from './countGuard.js';
export {
  COUNTS_ATTRIBUTES,
  COUNTS_TABLE_PK,
  COUNTS_TABLE_SK,
  countsAttributeNames,
  type CountsImage,
  type CountsItemKey,
  type DecodeFail,
  decodeInteger,
  decodeString,
  toKeyAttributes,
} from './countsAttributes.js';
export { type NotExact, notExactItem } from './notExactItem.js';
export { rebuildItem, type RebuildMark, type RefsBefore } from './rebuildItem.js';
export { type CountedRef, isHashedRefSortKey, refItem, refSortKey } from './refItem.js';
export {
  encodeShardMark,
  type ShardMark,
  shardMarkName,
  shardMarkOf,
  shardMarksOf,
} from './shardMarks.js';
export { decodeStoredRecord, encodeStoredRecord } from './storedRecord.js';
export { TOTAL_SORT_KEY, type TotalItem, totalItem, type TotalState } from './totalItem.js';
export { forgetMarksUpdate, watermarkedUpdate, type WatermarkRun } from './watermarkedUpdate.js';
export { windowItem } from './windowItem.js';
