import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { EventDetail } from '@castore/core';

import { CounterError } from '../shared/index.js';
import { MARSHALL_OPTIONS } from './constants.js';
import { fromPartitionKey, toPartitionKey } from './keys.js';

// Canonical UTC ISO-8601 (what `Date#toISOString` gives): the initialEvents GSI sorts
// timestamps as strings, so any other form would list aggregates out of order.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Canonical and real: Date.parse rolls 2024-02-30 and T24:00 into the next day, which would
 * put the event in another window bucket, so the date must read back as written.
 */
export const isIsoTimestamp = (value: unknown): value is string =>
  typeof value === 'string' && ISO_TIMESTAMP.test(value) && isRealDateTime(value);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digits = (value: string, from: number, to: number) => Number(value.slice(from, to));

/** The date and time fields of a timestamp of ISO_TIMESTAMP's shape exist (no Date: a stream batch checks every event's). */
const isRealDateTime = (value: string): boolean => {
  const [year, month, day] = [digits(value, 0, 4), digits(value, 5, 7), digits(value, 8, 10)];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return (
    day >= 1 &&
    day <= days &&
    digits(value, 11, 13) < 24 &&
    digits(value, 14, 16) < 60 &&
    digits(value, 17, 19) < 60
  );
};

export const assertValidVersion = (version: unknown): number => {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new CounterError('InvalidEvent', {
      field: 'version',
      value: version,
      expected: 'an integer >= 1',
    });
  }
  return version;
};

export const assertValidTimestamp = (timestamp: unknown, field = 'timestamp'): string => {
  if (!isIsoTimestamp(timestamp)) {
    throw new CounterError('InvalidEvent', {
      field,
      value: timestamp,
      expected: 'an ISO-8601 UTC timestamp such as 2024-01-31T12:00:00.000Z',
    });
  }
  return timestamp;
};

const assertValidType = (type: unknown): string => {
  if (typeof type !== 'string' || type === '')
    throw new CounterError('InvalidEvent', {
      field: 'type',
      value: type,
      expected: 'a non-empty string',
    });
  return type;
};

/** The DynamoDB item of an event, laid out exactly as the reference adapter lays it out. */
export const toEventItem = (
  event: EventDetail,
  eventStoreId: string,
): Record<string, AttributeValue> => {
  const { aggregateId, version, type, timestamp, payload, metadata } = event;
  assertValidVersion(version);
  assertValidType(type);
  assertValidTimestamp(timestamp);
  return marshallEvent(
    {
      aggregateId: toPartitionKey(eventStoreId, aggregateId),
      version,
      type,
      timestamp,
      ...(payload !== undefined ? { payload } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
      ...(version === 1 ? { eventStoreId } : {}),
    },
    { payload, metadata },
  );
};

const STORABLE =
  'data DynamoDB can store (plain objects, arrays, strings, finite numbers, booleans, null, Sets, binary)';

const marshallEvent = (
  item: Record<string, unknown>,
  data: { payload: unknown; metadata: unknown },
) => {
  // marshall silently drops functions: refuse them rather than store less than was given.
  for (const [field, value] of Object.entries(data)) {
    const path = findFunction(value, field);
    if (path !== undefined)
      throw new CounterError('InvalidEvent', {
        field: path,
        value: '[function]',
        expected: STORABLE,
      });
  }
  try {
    return marshall(item, MARSHALL_OPTIONS);
  } catch (error) {
    throw new CounterError('InvalidEvent', {
      field: 'payload or metadata',
      value: data,
      expected: `${STORABLE}: ${String(error)}`,
    });
  }
};

const findFunction = (value: unknown, path: string): string | undefined => {
  if (typeof value === 'function') return path;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = findFunction(child, `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
};

// fromEventItem mirrors toEventItem's layout field by field (the optional spreads look alike
// on purpose): one reads exactly what the other writes.
export const fromEventItem = (
  item: Record<string, AttributeValue>,
  eventStoreId: string,
): EventDetail => {
  const { aggregateId, version, type, timestamp, payload, metadata } = unmarshall(item) as {
    aggregateId: string;
    version: number;
    type: string;
    timestamp: string;
    payload?: unknown;
    metadata?: unknown;
  };
  return {
    aggregateId: fromPartitionKey(eventStoreId, aggregateId),
    version,
    type,
    timestamp,
    ...(payload !== undefined ? { payload } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
};
