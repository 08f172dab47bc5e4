import { createHash } from 'node:crypto';

import type { Put } from '@aws-sdk/client-dynamodb';

import {
  COUNTS_ATTRIBUTES,
  type CountsImage,
  type CountsItemKey,
  decodeString,
  toKeyAttributes,
} from './countsAttributes.js';

/** A ref that a counter key has counted: its audit trail, and what makes a replay count once. */
export interface CountedRef {
  targetRef: string;
  by: number;
  /** When it was counted (ISO). */
  countedAt: string;
}

// A sort key holds 1,024 bytes, and the default targetRef (store#aggregate#version) of an
// aggregate id the adapter accepts can be twice that. A longer targetRef is stored under
// a prefix and its SHA-256 instead, the whole of it in the `ref` attribute. The two forms
// cannot meet: plain sort keys are at most PLAIN_REF_BYTES, hashed ones always longer.
const PLAIN_REF_BYTES = 952;

// A UTF-16 code unit is at most 3 UTF-8 bytes: a string this short needs no count.
const isPlain = (value: string): boolean =>
  value.length * 3 <= PLAIN_REF_BYTES || Buffer.byteLength(value, 'utf8') <= PLAIN_REF_BYTES;

export const refSortKey = (targetRef: string): string => {
  if (isPlain(targetRef)) return targetRef;
  const digest = createHash('sha256').update(targetRef, 'utf8').digest('hex');
  return `${utf8Prefix(targetRef, PLAIN_REF_BYTES)}#sha256:${digest}`;
};

export const isHashedRefSortKey = (sortKey: string): boolean => !isPlain(sortKey);

/** The longest prefix of at most maxBytes UTF-8 bytes that does not cut a character in two. */
const utf8Prefix = (value: string, maxBytes: number): string => {
  let bytes = 0;
  let end = 0;
  for (const character of value) {
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > maxBytes) break;
    end += character.length;
  }
  return value.slice(0, end);
};

interface RefShard {
  counterName: string;
  shard: number;
  key: string;
}

const partitionKeyOf = ({ counterName, shard, key }: RefShard): string =>
  `R#${counterName}#${shard}#${key}`;

const keyOf = (options: RefShard & { targetRef: string }): CountsItemKey => ({
  pk: partitionKeyOf(options),
  sk: refSortKey(options.targetRef),
});

/**
 * A counted ref:  pk R#<counter>#<shard>#<key>  sk <targetRef>  by, at (and ref, when the
 * sort key is hashed). Each shard of a key's refs is a partition of its own, so that a hot
 * counter spreads its writes instead of queueing them on one partition.
 */
export const refItem = {
  partitionKey: partitionKeyOf,
  key: keyOf,

  /** Put only if absent: a ref already there is a replay, and cancels its transaction. */
  put: (
    options: RefShard & { tableName: string; targetRef: string; by: number; countedAt: string },
  ): Put => {
    const itemKey = keyOf(options);
    // Attribute by attribute, not spread: every counted event builds one (the hot path).
    const Item = toKeyAttributes(itemKey);
    Item[COUNTS_ATTRIBUTES.by] = { N: String(options.by) };
    Item[COUNTS_ATTRIBUTES.at] = { S: options.countedAt };
    if (isHashedRefSortKey(itemKey.sk)) Item[COUNTS_ATTRIBUTES.ref] = { S: options.targetRef };
    return {
      TableName: options.tableName,
      Item,
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  },

  decode: (image: CountsImage): CountedRef => ({
    // A targetRef too long for a sort key is stored whole in `ref`.
    targetRef: decodeString(image, 'ref') ?? decodeString(image, 'sk') ?? '',
    by: Number(image[COUNTS_ATTRIBUTES.by]?.N),
    countedAt: decodeString(image, 'at') ?? '',
  }),
};
