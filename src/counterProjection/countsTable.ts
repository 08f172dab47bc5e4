import { createHash } from 'node:crypto';

import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import {
  type CreateTableOptions,
  stringKeysTableDefinition,
  tableCreator,
} from '../shared/index.js';
import type { CounterWindow } from './windows.js';

export const COUNTS_TABLE_PK = 'pk';
export const COUNTS_TABLE_SK = 'sk';

/*
 * The counts table's items. Counter names contain no '#' and the key comes last, so every
 * partition key below is injective. Each counter's total, each window of it, and each
 * shard of its refs live in partitions of their own, so that a hot counter spreads its
 * writes instead of queueing them on one partition.
 *   total   pk T#<counter>#<key>              sk "total"    count, refShards
 *   window  pk W#<counter>#<window>#<key>     sk <bucket>   count
 *   ref     pk R#<counter>#<shard>#<key>      sk <targetRef> by, at (and ref, when sk is hashed)
 */
export const TOTAL_SORT_KEY = 'total';

/** The attributes of the counts items beside their keys: every reader and writer names them here. */
export const COUNTS_ATTRIBUTES = {
  count: 'count',
  counter: 'counter',
  key: 'key',
  window: 'window',
  refShards: 'refShards',
  target: 'target',
  by: 'by',
  at: 'at',
  ref: 'ref',
} as const;

type CountsAttribute = keyof typeof COUNTS_ATTRIBUTES;

/** ExpressionAttributeNames for `#name` placeholders of counts attributes. */
export const countsAttributeNames = (
  ...names: CountsAttribute[]
): Record<`#${CountsAttribute}`, string> =>
  Object.fromEntries(names.map((name) => [`#${name}`, COUNTS_ATTRIBUTES[name]])) as Record<
    `#${CountsAttribute}`,
    string
  >;

export const totalKey = (counterName: string, key: string) => ({
  pk: `T#${counterName}#${key}`,
  sk: TOTAL_SORT_KEY,
});

/** Whether an item's keys are a total's (`T#…`, sort key `total`): what reactions watch. */
export const isTotalKey = (pk: unknown, sk: unknown): pk is string =>
  typeof pk === 'string' && pk.startsWith('T#') && sk === TOTAL_SORT_KEY;

export const windowKey = (
  counterName: string,
  window: CounterWindow,
  key: string,
  bucket: string,
) => ({
  pk: `W#${counterName}#${window}#${key}`,
  sk: bucket,
});

export const refKey = (counterName: string, shard: number, key: string, targetRef: string) => ({
  pk: `R#${counterName}#${shard}#${key}`,
  sk: refSortKey(targetRef),
});

/** The DynamoDB form of a key: one place, so that every reader and writer agrees. */
export const toKeyAttributes = ({
  pk,
  sk,
}: {
  pk: string;
  sk: string;
}): Record<string, AttributeValue> => ({
  [COUNTS_TABLE_PK]: { S: pk },
  [COUNTS_TABLE_SK]: { S: sk },
});

// A sort key holds 1,024 bytes, and the default targetRef (store#aggregate#version) of an
// aggregate id the adapter accepts can be twice that. A longer targetRef is stored under
// a prefix and its SHA-256 instead, the whole of it in the `ref` attribute. The two forms
// cannot meet: plain sort keys are at most PLAIN_REF_BYTES, hashed ones always longer.
const PLAIN_REF_BYTES = 952;

export const refSortKey = (targetRef: string): string => {
  if (Buffer.byteLength(targetRef, 'utf8') <= PLAIN_REF_BYTES) return targetRef;
  const digest = createHash('sha256').update(targetRef, 'utf8').digest('hex');
  return `${utf8Prefix(targetRef, PLAIN_REF_BYTES)}#sha256:${digest}`;
};

export const isHashedRefSortKey = (sortKey: string): boolean =>
  Buffer.byteLength(sortKey, 'utf8') > PLAIN_REF_BYTES;

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

/**
 * The CreateTable input of a counts table: string keys pk/sk, on-demand billing; with
 * `stream`, the NEW_AND_OLD_IMAGES stream that CounterReactions read (old and new count).
 */
export const countsTableDefinition = (
  tableName: string,
  { stream = false }: { stream?: boolean | undefined } = {},
): CreateTableCommandInput => ({
  ...stringKeysTableDefinition(tableName, {
    partitionKey: COUNTS_TABLE_PK,
    sortKey: COUNTS_TABLE_SK,
  }),
  ...(stream
    ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }
    : {}),
});

/** Creates the counts table (with its stream for reactions when `stream`) and waits until it is ACTIVE. */
export const createCountsTable = ({
  stream,
  ...options
}: CreateTableOptions & { stream?: boolean | undefined }): Promise<'created' | 'found'> =>
  tableCreator((tableName) => countsTableDefinition(tableName, { stream }))(options);
