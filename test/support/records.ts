import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventDetail } from '@castore/core';

import { eventRecord, sequenceNumberOf } from '../../src/testing/index.js';

/** An INSERT record exactly as the event table's stream carries an event pushed by the adapter. */
export const insertRecord = (
  eventStoreId: string,
  event: EventDetail,
  sequenceNumber: string,
): StreamsApiRecord => eventRecord({ eventStoreId, event, sequenceNumber });

export { sequenceNumberOf };

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
