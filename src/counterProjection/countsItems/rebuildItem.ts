import type { Put, Update } from '@aws-sdk/client-dynamodb';

import {
  COUNTS_ATTRIBUTES,
  type CountsImage,
  decodeString,
  toKeyAttributes,
} from './countsAttributes.js';

// One partition for every counter's mark: a stream batch reads them all with one Query.
const REBUILD_PARTITION = 'C';
const PENDING = 'pending';

const keyOf = (counterName: string) => ({ pk: REBUILD_PARTITION, sk: counterName });

/** Which records a rebuilt shardWatermark counter counts through refs: all (pending) or those before a time. */
export type RefsBefore = 'pending' | number;

/** A counter's rebuild in this table: its id (on every item it wrote) and where it stands. */
export interface RebuildMark {
  counterName: string;
  rebuildId: string;
  refsBefore: RefsBefore;
}

/**
 * A shardWatermark counter rebuilt into this table:  pk "C"  sk <counter>  refsBefore, rb.
 * While the rebuild runs (`pending`) the stream counts all its records through refs; after,
 * those written before `refsBefore` (epoch ms), which the rebuild may have counted too.
 * Every record takes one path, always the same: counted once.
 */
export const rebuildItem = {
  partition: REBUILD_PARTITION,

  /** The mark of a rebuild starting; refused (condition) when the counter has one already. */
  start: ({
    tableName,
    counterName,
    rebuildId,
  }: {
    tableName: string;
    counterName: string;
    rebuildId: string;
  }): Put => ({
    TableName: tableName,
    Item: {
      ...toKeyAttributes(keyOf(counterName)),
      [COUNTS_ATTRIBUTES.refsBefore]: { S: PENDING },
      [COUNTS_ATTRIBUTES.rebuildId]: { S: rebuildId },
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  }),

  /** The rebuild done: records written from `refsBefore` on are the watermark's. */
  end: ({
    tableName,
    counterName,
    refsBefore,
  }: {
    tableName: string;
    counterName: string;
    refsBefore: number;
  }): Update => ({
    TableName: tableName,
    Key: toKeyAttributes(keyOf(counterName)),
    UpdateExpression: 'SET #refsBefore = :time',
    ConditionExpression: '#refsBefore = :pending',
    ExpressionAttributeNames: { '#refsBefore': COUNTS_ATTRIBUTES.refsBefore },
    ExpressionAttributeValues: {
      ':time': { S: new Date(refsBefore).toISOString() },
      ':pending': { S: PENDING },
    },
  }),

  decode: (image: CountsImage): RebuildMark | undefined => {
    const counterName = decodeString(image, 'sk');
    const value = decodeString(image, 'refsBefore');
    const rebuildId = decodeString(image, 'rebuildId');
    if (counterName === undefined || value === undefined || rebuildId === undefined)
      return undefined;
    if (value === PENDING) return { counterName, rebuildId, refsBefore: PENDING };
    const time = Date.parse(value);
    return Number.isFinite(time) ? { counterName, rebuildId, refsBefore: time } : undefined;
  },
};
