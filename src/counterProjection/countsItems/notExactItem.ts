import type { Put } from '@aws-sdk/client-dynamodb';

import {
  COUNTS_ATTRIBUTES,
  type CountsImage,
  decodeString,
  toKeyAttributes,
} from './countsAttributes.js';

// One partition for every mark: `status` lists them with one Query, counters unknown to it.
const NOT_EXACT_PARTITION = 'X';

const keyOf = (counterName: string) => ({
  pk: NOT_EXACT_PARTITION,
  sk: counterName,
});

/** Why and since when a counter can no longer be exact. */
export interface NotExact {
  reason: string;
  since: string;
}

/**
 * The mark of a shardWatermark counter that may have missed records (a dead letter replayed
 * after its shard's watermark passed it):  pk "X"  sk <counter>  reason, since.
 * Its first reason is kept. Every read of the counter refuses while it exists.
 */
export const notExactItem = {
  key: keyOf,

  partition: NOT_EXACT_PARTITION,

  put: ({
    tableName,
    counterName,
    reason,
    since,
  }: NotExact & { tableName: string; counterName: string }): Put => ({
    TableName: tableName,
    Item: {
      ...toKeyAttributes(keyOf(counterName)),
      [COUNTS_ATTRIBUTES.counter]: { S: counterName },
      [COUNTS_ATTRIBUTES.reason]: { S: reason },
      [COUNTS_ATTRIBUTES.since]: { S: since },
    },
    ConditionExpression: 'attribute_not_exists(#reason)',
    ExpressionAttributeNames: { '#reason': COUNTS_ATTRIBUTES.reason },
  }),

  /** undefined for an item never written: the counter is exact. */
  decode: (image: CountsImage | undefined): NotExact | undefined => {
    const reason = decodeString(image, 'reason');
    if (reason === undefined) return undefined;
    return { reason, since: decodeString(image, 'since') ?? 'an unknown time' };
  },
};
