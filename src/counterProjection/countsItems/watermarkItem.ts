import type { Update } from '@aws-sdk/client-dynamodb';

import {
  type CountsImage,
  type CountsItemKey,
  type CountsItemOwner,
  decodeString,
  identifiedUpdate,
} from './countsAttributes.js';

// Stream sequence numbers are 21 to 40 digits. Stored left-padded to 40, so that DynamoDB's
// `<` on strings is `<` on the numbers (a 21-digit one after a 40-digit one otherwise).
const SEQUENCE_NUMBER = /^\d{21,40}$/;
const WATERMARK_DIGITS = 40;
// AWS trims stream records older than 24 hours: a watermark not written for 7 days guards
// no record the stream still holds, and DynamoDB's TTL may delete it (storage per key and
// shard stays bounded as shards roll over, every few hours).
const WATERMARK_LIFE_SECONDS = 7 * 86_400;
const STORED_WATERMARK = /^\d{40}$/;

/** A sequence number as a watermark compares it, or undefined when it is out of shape. */
export const toWatermark = (sequenceNumber: unknown): string | undefined =>
  typeof sequenceNumber === 'string' && SEQUENCE_NUMBER.test(sequenceNumber)
    ? sequenceNumber.padStart(WATERMARK_DIGITS, '0')
    : undefined;

const keyOf = (counterName: string, key: string, shardId: string): CountsItemKey => ({
  pk: `M#${counterName}#${key}`,
  sk: shardId,
});

/**
 * How far one shard's records are in a counter key's count:
 *   pk M#<counter>#<key>  sk <shardId>  watermark, count (this shard's share)
 * Invariant: the key's count holds exactly the shard's records (of this key) at or below
 * the watermark. It holds while each batch is a contiguous run of the shard, which is why
 * only the stream runner may advance it (docs/counters.md, "Idempotency").
 */
export const watermarkItem = {
  key: keyOf,

  /**
   * Moves the watermark over a run of records, written in the same transaction as their
   * increments. Refused when the watermark is already at or past the run's first record (a
   * redelivery, or another consumer was first): the refusal carries the item as it was, so
   * that the records at or below its watermark are dropped and the rest sent again.
   */
  advance: ({
    shardId,
    first,
    last,
    delta,
    at,
    ...owner
  }: CountsItemOwner & {
    shardId: string;
    first: string;
    last: string;
    delta: bigint;
    /** When it is written (ISO), fixed across the retries of one request. */
    at: string;
  }): Update => ({
    ...identifiedUpdate(owner, {
      itemKey: keyOf(owner.counterName, owner.key, shardId),
      add: '#count :delta',
      set: '#watermark = :last, #expiresAt = :expiresAt',
      condition: 'attribute_not_exists(#watermark) OR #watermark < :first',
      names: ['count', 'watermark', 'expiresAt'],
      values: {
        ':delta': { N: String(delta) },
        ':first': { S: first },
        ':last': { S: last },
        ':expiresAt': { N: String(Math.floor(Date.parse(at) / 1000) + WATERMARK_LIFE_SECONDS) },
      },
    }),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }),

  /** The watermark of an item as it was (a cancellation's Item); undefined when it has none. */
  decodeWatermark: (image: CountsImage | undefined): string | undefined => {
    const watermark = decodeString(image, 'watermark');
    return watermark !== undefined && STORED_WATERMARK.test(watermark) ? watermark : undefined;
  },
};
