import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventDetail } from '@castore/core';

import { toEventItem } from '../../src/adapter/eventItem.js';

/** An INSERT record exactly as the event table's stream carries an event pushed by the adapter. */
export const insertRecord = (
  eventStoreId: string,
  event: EventDetail,
  sequenceNumber: string,
): StreamsApiRecord => {
  const item = toEventItem(event, eventStoreId);
  return {
    eventID: `id-${sequenceNumber}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      // The item's key attributes (the two clients' AttributeValue types are distinct, alike).
      Keys: { aggregateId: item.aggregateId as never, version: item.version as never },
      SequenceNumber: sequenceNumber,
      NewImage: item,
      StreamViewType: 'NEW_IMAGE',
    },
  };
};

/**
 * Distinct, ordered, 21-digit sequence numbers like DynamoDB's (with gaps). Computed as
 * bigints: `1e20 + i * 10` in numbers gives the same value for every i below about 800.
 */
export const sequenceNumberOf = (index: number): string =>
  String(100_000_000_000_000_000_000n + BigInt(index) * 10n + BigInt(index % 3));

/**
 * The orders store's ORDER_PLACED event of aggregate `o${index}` at sequence number
 * `index`, as its stream carries it (the payload as given: malformed ones included).
 */
export const orderPlacedRecord = (
  index: number,
  payload: Record<string, unknown> = { customerId: 'c', country: 'FR', quantity: 2 },
): StreamsApiRecord =>
  insertRecord(
    'orders',
    {
      aggregateId: `o${index}`,
      version: 1,
      type: 'ORDER_PLACED',
      timestamp: '2024-01-01T00:00:00.000Z',
      payload,
    } as EventDetail,
    sequenceNumberOf(index),
  );
