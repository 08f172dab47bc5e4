import { CounterError, isWellFormed } from '../shared/index.js';
import { MAX_PARTITION_KEY_BYTES } from './constants.js';

const SEPARATOR = '#';

/**
 * The partition key is `${eventStoreId}#${aggregateId}`. Forbidding '#' in the event store
 * id keeps it injective: the first '#' always ends the event store id, so store `A` with
 * aggregate `B#x` and store `A#B` with aggregate `x` cannot share a key.
 */
export const assertValidEventStoreId = (eventStoreId: unknown): string => {
  if (
    typeof eventStoreId !== 'string' ||
    eventStoreId === '' ||
    eventStoreId.includes(SEPARATOR) ||
    !isWellFormed(eventStoreId)
  ) {
    throw new CounterError('InvalidEventStoreId', { eventStoreId });
  }
  return eventStoreId;
};

export const assertValidAggregateId = (aggregateId: unknown): string => {
  // A lone surrogate is stored as U+FFFD: two such ids would share one aggregate.
  if (typeof aggregateId !== 'string' || aggregateId === '' || !isWellFormed(aggregateId)) {
    throw new CounterError('InvalidEvent', {
      field: 'aggregateId',
      value: aggregateId,
      expected: 'a non-empty, well-formed (UTF-16) string',
    });
  }
  return aggregateId;
};

export const toPartitionKey = (eventStoreId: string, aggregateId: string): string => {
  const key = `${assertValidEventStoreId(eventStoreId)}${SEPARATOR}${assertValidAggregateId(aggregateId)}`;
  if (Buffer.byteLength(key, 'utf8') > MAX_PARTITION_KEY_BYTES) {
    throw new CounterError('InvalidEvent', {
      field: 'aggregateId',
      value: aggregateId,
      expected: `an id whose key "eventStoreId#aggregateId" fits DynamoDB's ${MAX_PARTITION_KEY_BYTES}-byte partition key limit`,
    });
  }
  return key;
};

/** Splits a partition key at its first '#'; undefined when it has none. */
export const splitPartitionKey = (
  key: string,
): { eventStoreId: string; aggregateId: string } | undefined => {
  const separatorIndex = key.indexOf(SEPARATOR);
  if (separatorIndex <= 0) return undefined;
  return { eventStoreId: key.slice(0, separatorIndex), aggregateId: key.slice(separatorIndex + 1) };
};

export const fromPartitionKey = (eventStoreId: string, key: string): string =>
  key.slice(eventStoreId.length + 1);
