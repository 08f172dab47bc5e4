import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventDetail } from '@castore/core';

import { toEventItem } from '../../src/adapter/eventItem.js';

/** An INSERT record exactly as the event table's stream carries an event pushed by the adapter. */
export const insertRecord = (eventStoreId: string, event: EventDetail, sequenceNumber: string): StreamsApiRecord => ({
  eventID: `id-${sequenceNumber}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    SequenceNumber: sequenceNumber,
    NewImage: toEventItem(event, eventStoreId),
    StreamViewType: 'NEW_IMAGE',
  },
});

export const sequenceNumberOf = (index: number): string => String(1e20 + index * 10);
