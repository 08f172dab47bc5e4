import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { unmarshallOptions as UnmarshallOptions } from '@aws-sdk/util-dynamodb';
import type { EventStore, EventStoreNotificationMessage } from '@castore/core';

import { assertValidEventStoreId, isIsoTimestamp, splitPartitionKey } from '../adapter/index.js';
import { CounterError } from '../shared/index.js';
import { assertKeyAttributes, type Fail, readVersion, unmarshallImage } from './imageAttributes.js';
import { readRecordFields, type StreamRecord } from './streamRecord.js';

export type ParsedStreamRecord<EVENT_STORES extends EventStore> =
  | {
      kind: 'event';
      sequenceNumber: string | undefined;
      message: EventStoreNotificationMessage<EVENT_STORES>;
    }
  | { kind: 'skipped'; sequenceNumber: string | undefined; reason: SkipReason; eventName: string };

/** MODIFY/REMOVE (and TTL deletions) change no event; UnknownEventStore only with `unknownEventStores: 'skip'`. */
export type SkipReason = 'NotAnInsert' | 'UnknownEventStore';

export interface ImageParserOptions<EVENT_STORES extends EventStore> {
  sourceEventStores: EVENT_STORES[];
  /**
   * What parseRecord does with an event of a store not in sourceEventStores (the table
   * may hold other stores): 'fail' (default) throws, 'skip' returns it as skipped.
   */
  unknownEventStores?: 'fail' | 'skip';
}

/** Throws the InvalidStreamRecord error of the record with this sequence number. */
const failFor =
  (sequenceNumber: string | undefined): Fail =>
  (field, value, expected) => {
    throw new CounterError('InvalidStreamRecord', { sequenceNumber, field, value, expected });
  };

// Anything else ("insert", "FOO") is not a record of a DynamoDB stream: failed, never skipped.
const EVENT_NAMES = new Set(['INSERT', 'MODIFY', 'REMOVE']);

/**
 * Turns images of the event table's stream into typed Castore notification messages,
 * checking what the reference's parser takes on trust: a known store, one of its event
 * types, an integer version >= 1, an aggregate id and an ISO timestamp.
 */
export class ImageParser<EVENT_STORES extends EventStore> {
  sourceEventStores: EVENT_STORES[];
  /** The reference's public field, kept for compatibility; without a prototype, so `constructor` is no store. */
  eventStoresById: Record<string, EVENT_STORES>;
  private readonly storesById = new Map<string, EVENT_STORES>();
  private readonly eventTypesByStoreId: Map<string, Set<string>>;
  private readonly unknownEventStores: 'fail' | 'skip';

  constructor({
    sourceEventStores,
    unknownEventStores = 'fail',
  }: ImageParserOptions<EVENT_STORES>) {
    this.sourceEventStores = sourceEventStores;
    this.unknownEventStores = unknownEventStores;
    this.eventStoresById = Object.create(null) as Record<string, EVENT_STORES>;
    this.eventTypesByStoreId = new Map();
    for (const eventStore of sourceEventStores) {
      assertValidEventStoreId(eventStore.eventStoreId);
      this.eventStoresById[eventStore.eventStoreId] = eventStore;
      this.storesById.set(eventStore.eventStoreId, eventStore);
      this.eventTypesByStoreId.set(
        eventStore.eventStoreId,
        new Set(eventStore.eventTypes.map(({ type }) => type)),
      );
    }
  }

  /** Same signature and output as the reference's parseImage; throws InvalidStreamRecordError. */
  parseImage = (
    image: Record<string, AttributeValue>,
    unmarshallOptions: UnmarshallOptions = {},
    sequenceNumber?: string,
  ): EventStoreNotificationMessage<EVENT_STORES> =>
    this.messageOf(image, unmarshallOptions, failFor(sequenceNumber));

  private messageOf = (
    image: Record<string, AttributeValue>,
    unmarshallOptions: UnmarshallOptions,
    fail: Fail,
  ): EventStoreNotificationMessage<EVENT_STORES> => {
    assertKeyAttributes(image, fail);
    const item = unmarshallImage(image, unmarshallOptions, fail);
    const { eventStoreId, aggregateId } = this.readPartitionKey(item.aggregateId, fail);
    return {
      eventStoreId,
      event: {
        aggregateId,
        version: readVersion(item.version, fail),
        type: this.readEventType(eventStoreId, item.type, fail),
        timestamp: isIsoTimestamp(item.timestamp)
          ? item.timestamp
          : fail('timestamp', item.timestamp, 'an ISO-8601 UTC timestamp'),
        ...(item.payload !== undefined ? { payload: item.payload } : {}),
        ...(item.metadata !== undefined ? { metadata: item.metadata } : {}),
      },
    } as EventStoreNotificationMessage<EVENT_STORES>;
  };

  /** Parses a Lambda or Streams API record: INSERTs become messages, MODIFY/REMOVE are skipped. */
  parseRecord = (
    record: StreamRecord,
    unmarshallOptions: UnmarshallOptions = {},
  ): ParsedStreamRecord<EVENT_STORES> => {
    const { eventName, sequenceNumber, newImage } = readRecordFields(record);
    const fail = failFor(sequenceNumber);
    if (typeof eventName !== 'string' || !EVENT_NAMES.has(eventName))
      return fail('eventName', eventName, 'INSERT, MODIFY or REMOVE');
    if (eventName !== 'INSERT')
      return { kind: 'skipped', sequenceNumber, reason: 'NotAnInsert', eventName };
    if (typeof newImage !== 'object' || newImage === null) {
      return fail(
        'dynamodb.NewImage',
        newImage,
        'the new image of the item (a stream view type with NEW_IMAGE)',
      );
    }
    if (this.unknownEventStores === 'skip') {
      const key = (newImage as { aggregateId?: { S?: unknown } }).aggregateId?.S;
      const split = typeof key === 'string' ? splitPartitionKey(key) : undefined;
      if (split !== undefined && !this.storesById.has(split.eventStoreId)) {
        return { kind: 'skipped', sequenceNumber, reason: 'UnknownEventStore', eventName };
      }
    }
    // The record's own fail, not parseImage's: one closure per record on the hot path.
    const message = this.messageOf(
      newImage as Record<string, AttributeValue>,
      unmarshallOptions,
      fail,
    );
    return { kind: 'event', sequenceNumber, message };
  };

  private readPartitionKey = (key: unknown, fail: Fail) => {
    const split = typeof key === 'string' ? splitPartitionKey(key) : undefined;
    if (split === undefined || split.aggregateId === '') {
      return fail('aggregateId', key, 'a string "eventStoreId#aggregateId"');
    }
    if (!this.storesById.has(split.eventStoreId)) {
      return fail(
        'eventStoreId',
        split.eventStoreId,
        `one of the source event stores (${[...this.storesById.keys()].join(', ')}): add its store to sourceEventStores, ` +
          "or pass unknownEventStores: 'skip' to skip the events of stores the projection does not read (e.g. reactions' COUNT_REACHED events pushed into this table)",
      );
    }
    return split;
  };

  /** Whether the store is one of sourceEventStores. */
  hasEventStore = (eventStoreId: string): boolean => this.storesById.has(eventStoreId);

  private readEventType = (eventStoreId: string, type: unknown, fail: Fail): string => {
    const known = this.eventTypesByStoreId.get(eventStoreId);
    if (typeof type !== 'string' || known?.has(type) !== true) {
      return fail(
        'type',
        type,
        `an event type of ${eventStoreId} (${[...(known ?? [])].join(', ')})`,
      );
    }
    return type;
  };
}
