import type { EventDetail } from '@castore/core';
import type { DynamoDBRecord } from 'aws-lambda';

import { toEventItem } from '../adapter/index.js';
import type { StreamsApiRecord } from '../imageParser/index.js';

/**
 * The INSERT record that the event table's stream carries for an event pushed by the
 * adapter, built with the adapter's own item layout: what a projection receives.
 */
export const eventRecord = ({
  eventStoreId,
  event,
  sequenceNumber,
  createdAt = new Date(Math.floor(Date.parse(event.timestamp) / 1000) * 1000),
}: {
  eventStoreId: string;
  event: EventDetail;
  /** The record's place in its shard: distinct and increasing (DynamoDB's are 21 digits). */
  sequenceNumber: string;
  /** When the stream took it (ApproximateCreationDateTime, to the second): by default the event's time. */
  createdAt?: Date;
}): StreamsApiRecord => {
  const item = toEventItem(event, eventStoreId);
  return {
    eventID: `id-${sequenceNumber}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      // The item's key attributes (the two clients' AttributeValue types are distinct, alike).
      Keys: { aggregateId: item.aggregateId as never, version: item.version as never },
      SequenceNumber: sequenceNumber,
      ApproximateCreationDateTime: createdAt,
      NewImage: item,
      StreamViewType: 'NEW_IMAGE',
    },
  };
};

/**
 * Events as their stream carries them, in order, with sequence numbers shaped as
 * DynamoDB's (21 digits, increasing, with gaps).
 */
export const eventRecords = (
  events: readonly { eventStoreId: string; event: EventDetail }[],
): StreamsApiRecord[] =>
  events.map(({ eventStoreId, event }, index) =>
    eventRecord({ eventStoreId, event, sequenceNumber: sequenceNumberOf(index) }),
  );

/** Distinct, ordered, 21-digit sequence numbers (bigints: 1e20 + i in numbers rounds). */
export const sequenceNumberOf = (index: number): string =>
  String(100_000_000_000_000_000_000n + BigInt(index) * 10n + BigInt(index % 3));

/** A Streams API record as Lambda delivers it: creation time in epoch seconds, binaries base64. */
export const toLambdaRecord = (record: StreamsApiRecord): DynamoDBRecord =>
  JSON.parse(
    JSON.stringify({
      ...record,
      eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/events/stream/1',
      dynamodb: {
        ...record.dynamodb,
        ApproximateCreationDateTime:
          record.dynamodb?.ApproximateCreationDateTime !== undefined
            ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
            : undefined,
      },
    }),
    (_, value: unknown) =>
      isSerializedBuffer(value) ? Buffer.from(value.data).toString('base64') : value,
  ) as DynamoDBRecord;

const isSerializedBuffer = (value: unknown): value is { type: 'Buffer'; data: number[] } =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer';
