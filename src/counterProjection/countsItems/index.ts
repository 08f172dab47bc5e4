// The counts table's items, one codec per shape: each file builds the writes of its shape
// and decodes what is read back, so that writer and readers cannot drift apart. Counter
// names contain no '#' and the key comes last, so every partition key is injective.
//   total   pk T#<counter>#<key>              sk "total"     (totalItem.ts)
//   window  pk W#<counter>#<window>#<key>     sk <bucket>    (windowItem.ts)
//   ref     pk R#<counter>#<shard>#<key>      sk <targetRef> (refItem.ts)
//   watermark  pk M#<counter>#<key>           sk <shardId>   (watermarkItem.ts)
//   not exact  pk X                           sk <counter>   (notExactItem.ts)
//   set aside  pk A                           sk <shardId>#<sequence number> (asideItem.ts)
//   rebuilt    pk C                           sk <counter>   (rebuildItem.ts)
// A per-key target is an attribute of the total item.
export { asideItem, type AsideRecord } from './asideItem.js';
export {
  COUNTS_ATTRIBUTES,
  COUNTS_TABLE_PK,
  COUNTS_TABLE_SK,
  countsAttributeNames,
  type CountsImage,
  type CountsItemKey,
  type DecodeFail,
  decodeInteger,
  toKeyAttributes,
} from './countsAttributes.js';
export { type NotExact, notExactItem } from './notExactItem.js';
export { rebuildItem, type RefsBefore } from './rebuildItem.js';
export { type CountedRef, isHashedRefSortKey, refItem, refSortKey } from './refItem.js';
export { TOTAL_SORT_KEY, type TotalItem, totalItem, type TotalState } from './totalItem.js';
export { toWatermark, watermarkItem } from './watermarkItem.js';
export { windowItem } from './windowItem.js';
