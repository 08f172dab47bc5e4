import {
  COUNTS_ATTRIBUTES,
  COUNTS_TABLE_PK,
  COUNTS_TABLE_SK,
  isTotalKey,
  totalKey,
} from '../counterProjection/index.js';
import { recordCreatedAtMs, type StreamRecord } from '../imageParser/index.js';
import { CounterError } from '../shared/index.js';
import type { TotalState } from './crossings.js';

/** A write of a counter key's total item, as its stream record shows it. */
export interface TotalWrite {
  counterName: string;
  key: string;
  before: TotalState;
  after: TotalState;
}

/** Why a record of the counts table's stream has nothing to react to. */
export type CountsRecordSkip = 'NotATotal' | 'Removed';

type Image = Record<string, { S?: unknown; N?: unknown } | undefined> | undefined;

const NUMBER = /^-?\d{1,38}$/;

/**
 * Reads a counts table stream record (NEW_AND_OLD_IMAGES; Lambda's or the Streams API's
 * shape). Windows and refs are skipped, as is a removed total (nothing was reached). A
 * total whose images are not what the projection writes is refused: reacting to a
 * misread count could fire what was not reached.
 */
export const readTotalWrite = (
  record: StreamRecord | null | undefined,
): TotalWrite | CountsRecordSkip => {
  // A hostile record may be anything, null included.
  const { eventName, dynamodb } = (record ?? {}) as {
    eventName?: unknown;
    dynamodb?: { Keys?: Image | null; OldImage?: Image; NewImage?: Image };
  };
  const fail = (reason: string): never => {
    throw new CounterError('InvalidCountsRecord', { value: record, reason });
  };
  if (typeof dynamodb?.Keys !== 'object' || dynamodb.Keys === null) return fail('no Keys');
  const partitionKey = totalPartitionKey(dynamodb.Keys);
  if (partitionKey === undefined) return 'NotATotal';
  if (eventName === 'REMOVE') return 'Removed';
  // A crossing's reachedAt is the record's creation time: one that is no time is refused.
  const createdAt = (dynamodb as { ApproximateCreationDateTime?: unknown })
    .ApproximateCreationDateTime;
  if (createdAt !== undefined && recordCreatedAtMs(record) === undefined)
    fail('ApproximateCreationDateTime not a time');
  const { OldImage: before, NewImage: after } = dynamodb;
  if (eventName !== 'INSERT' && eventName !== 'MODIFY') return fail('eventName');
  if (after === undefined || (eventName === 'MODIFY' && before === undefined))
    return fail('no NewImage or OldImage: the stream must be NEW_AND_OLD_IMAGES');
  const { counterName, key } = identityOf(after, partitionKey, fail);
  return { counterName, key, before: totalState(before, fail), after: totalState(after, fail) };
};

/** The partition key of a counter key's total item (`T#…`, sort key `total`); undefined for any other item. */
const totalPartitionKey = (keys: Image): string | undefined => {
  const partitionKey = keys?.[COUNTS_TABLE_PK]?.S;
  return isTotalKey(partitionKey, keys?.[COUNTS_TABLE_SK]?.S) ? partitionKey : undefined;
};

/** The counter and key a total item names, which its partition key must agree with. */
const identityOf = (image: Image, partitionKey: string, fail: (reason: string) => never) => {
  const counterName = image?.[COUNTS_ATTRIBUTES.counter]?.S;
  const key = image?.[COUNTS_ATTRIBUTES.key]?.S;
  if (typeof counterName !== 'string' || typeof key !== 'string') return fail('no counter or key');
  if (partitionKey !== totalKey(counterName, key).pk) fail('counter and key unlike the item key');
  return { counterName, key };
};

const totalState = (image: Image, fail: (reason: string) => never): TotalState => ({
  count: numberAttribute(image?.[COUNTS_ATTRIBUTES.count], 'count', fail) ?? 0n,
  target: numberAttribute(image?.[COUNTS_ATTRIBUTES.target], 'target', fail),
});

const numberAttribute = (
  attribute: { N?: unknown } | undefined,
  name: string,
  fail: (reason: string) => never,
): bigint | undefined => {
  if (attribute === undefined) return undefined;
  const { N: value } = attribute;
  return typeof value === 'string' && NUMBER.test(value)
    ? BigInt(value)
    : fail(`${name} not an integer`);
};
