import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import { itemSize } from '../../shared/index.js';
import {
  COUNTS_ATTRIBUTES,
  type CountsItemKey,
  forgetMarksUpdate,
  shardMarkName,
  shardMarksOf,
} from '../countsItems/index.js';

// A shard's mark guards against its records coming again: once the newest record written to
// an item is this much younger than a mark's record, that record is past the stream's
// retention (24 hours; AWS trims records "older than" it, so 4 hours more) and the mark can
// be forgotten. The floor that replaces it refuses anything as old, so that a record trimmed
// late is refused (and its counter marked not exact), never counted twice.
export const MARK_HORIZON_SECONDS = 28 * 3_600;
// ApproximateCreationDateTime is approximate: the floor sits this far after the forgotten mark.
const FLOOR_MARGIN_SECONDS = 300;
// Forget when enough have gone stale, or earlier when the item nears 1 KB (WCU are per KB).
const STALE_MARKS_TO_FORGET = 8;
const ITEM_BYTES_TO_KEEP_UNDER = 800;

/**
 * After a write (its ALL_NEW image), forgets the marks of shards whose records can no longer
 * come, when there are enough of them or the item grows: one more UpdateItem, now and then.
 * Best effort: a mark changed meanwhile, or an error, leaves the marks for a later write.
 */
export const forgetStaleMarks = async (
  context: { dynamoDBClient: DynamoDBClient; tableName: string },
  {
    itemKey,
    item,
    shardId,
    newestCreatedAt,
  }: {
    itemKey: CountsItemKey;
    item: Parameters<typeof shardMarksOf>[0];
    shardId: string;
    newestCreatedAt: number;
  },
): Promise<boolean> => {
  const own = shardMarkName(shardId);
  const stale = shardMarksOf(item).filter(
    (mark) => mark.name !== own && mark.createdAtSeconds < newestCreatedAt - MARK_HORIZON_SECONDS,
  );
  const large =
    stale.length > 0 &&
    itemSize((item ?? {}) as Parameters<typeof itemSize>[0]) > ITEM_BYTES_TO_KEEP_UNDER;
  if (stale.length < STALE_MARKS_TO_FORGET && !large) return false;
  const floor = Math.max(
    Number(item?.[COUNTS_ATTRIBUTES.markFloor]?.N ?? 0),
    ...stale.map((mark) => mark.createdAtSeconds + FLOOR_MARGIN_SECONDS),
  );
  try {
    await context.dynamoDBClient.send(
      new UpdateItemCommand(
        forgetMarksUpdate({ tableName: context.tableName, itemKey, marks: stale, floor }),
      ),
    );
    return true;
  } catch {
    return false;
  }
};
