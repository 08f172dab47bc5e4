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

/**
 * A shardWatermark counter rebuilt into this table:  pk "C"  sk <counter>  refsBefore.
 * While the rebuild runs (`pending`) the stream counts all its records through refs; after,
 * those written before `refsBefore` (epoch ms), which the rebuild may have counted too.
 * Every record takes one path, always the same: counted once.
 */
export const rebuildItem = {
  partition: REBUILD_PARTITION,

  /** The mark of a rebuild starting; refused (condition) when the counter has one already. */
  start: ({ tableName, counterName }: { tableName: string; counterName: string }): Put => ({
    TableName: tableName,
    Item: {
      ...toKeyAttributes(keyOf(counterName)),
      [COUNTS_ATTRIBUTES.refsBefore]: { S: PENDING },
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

  decode: (image: CountsImage): { counterName: string; refsBefore: RefsBefore } | undefined => {
    const counterName = decodeString(image, 'sk');
    const value = decodeString(image, 'refsBefore');
    if (counterName === undefined || value === undefined) return undefined;
    if (value === PENDING) return { counterName, refsBefore: PENDING };
    const time = Date.parse(value);
    return Number.isFinite(time) ? { counterName, refsBefore: time } : undefined;
  },
};
