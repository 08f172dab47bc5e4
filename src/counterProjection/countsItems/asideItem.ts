import type { Put } from '@aws-sdk/client-dynamodb';

import {
  COUNTS_ATTRIBUTES,
  type CountsImage,
  decodeString,
  toKeyAttributes,
} from './countsAttributes.js';

// One partition for every record set aside: they are rare (a record that fails for a
// reason of its own: a fault of the counters module, which its fix ends), and countSetAside
// and `status` list them all with one Query. Counted ones expire a week after (TTL): by
// then the stream can no longer deliver the record again.
const ASIDE_PARTITION = 'A';
const COUNTED_LIFE_SECONDS = 7 * 86_400;

const keyOf = (shardId: string, watermark: string) => ({
  pk: ASIDE_PARTITION,
  sk: `${shardId}#${watermark}`,
});

/** A record set aside, as stored: enough to count it later, and why it failed. */
export interface AsideRecord {
  shardId: string;
  /** Its sequence number, as a watermark compares it (40 digits). */
  watermark: string;
  /** The stream record, as stored (storedRecord.ts: JSON that keeps binaries and dates). */
  record: string;
  /** Its error's code and message. */
  error: string;
  at: string;
}

/**
 * A stream record that failed for a reason of its own in a batch of a projection with
 * shardWatermark counters, written before the watermark passes it:
 *   pk "A"  sk <shardId>#<sequence number, 40 digits>  record, error, at (and countedAt)
 * It is counted later through refs (countSetAside), never by a watermark: the stream path
 * skips a record it finds here, even one that would now count.
 */
export const asideItem = {
  key: keyOf,

  put: ({ tableName, ...aside }: AsideRecord & { tableName: string }): Put => ({
    TableName: tableName,
    Item: {
      ...toKeyAttributes(keyOf(aside.shardId, aside.watermark)),
      [COUNTS_ATTRIBUTES.record]: { S: aside.record },
      [COUNTS_ATTRIBUTES.error]: { S: aside.error },
      [COUNTS_ATTRIBUTES.at]: { S: aside.at },
    },
    // Written once per record: with the claim that decided it (a claim decides each record
    // once), or when a record decided before can no longer be told apart (see settleBatch).
  }),

  partition: ASIDE_PARTITION,

  /** The shard and sequence number (as a watermark) a stored item stands for. */
  decodeKey: (image: CountsImage): { shardId: string; watermark: string } | undefined => {
    const sortKey = decodeString(image, 'sk');
    const match = sortKey === undefined ? null : /^(.*)#(\d{40})$/.exec(sortKey);
    return match === null
      ? undefined
      : { shardId: match[1] as string, watermark: match[2] as string };
  },

  decodeRecord: (image: CountsImage): { record: string; counted: boolean } | undefined => {
    const record = decodeString(image, 'record');
    if (record === undefined) return undefined;
    return { record, counted: decodeString(image, 'countedAt') !== undefined };
  },

  /** Marks it counted (kept, so that a late redelivery of it is still skipped). */
  markCounted: ({
    tableName,
    shardId,
    watermark,
    now = new Date(),
  }: {
    tableName: string;
    shardId: string;
    watermark: string;
    now?: Date;
  }) => ({
    TableName: tableName,
    Key: toKeyAttributes(keyOf(shardId, watermark)),
    UpdateExpression: 'SET #countedAt = :now, #expiresAt = :expiresAt',
    ExpressionAttributeNames: {
      '#countedAt': COUNTS_ATTRIBUTES.countedAt,
      '#expiresAt': COUNTS_ATTRIBUTES.expiresAt,
    },
    ExpressionAttributeValues: {
      ':now': { S: now.toISOString() },
      ':expiresAt': { N: String(Math.floor(now.getTime() / 1000) + COUNTED_LIFE_SECONDS) },
    },
  }),
};
