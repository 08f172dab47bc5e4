import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventDetail, EventStorageAdapter, GroupedEvent } from '@castore/core';

import { CounterError } from '../shared/index.js';
import { MAX_TRANSACTION_ACTIONS } from './constants.js';
import { assertValidTimestamp } from './eventItem.js';

/** Where one event of a group goes, once its adapter is known to be ours. */
export interface EventGroupTarget {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  /** The event's adapter refuses a version whose previous one does not exist. */
  requireContiguousVersions: boolean;
}

export interface ParsedGroupEvent extends EventGroupTarget {
  event: EventDetail;
  eventStoreId: string;
}

/**
 * Checks a whole group before anything is sent, so that a group DynamoDB would refuse
 * (or that the reference adapter would write wrongly) fails with a clear error instead:
 * at most 100 events, all on our adapter with one DynamoDB client, no key twice, one
 * timestamp for all.
 */
export const parseEventGroup = (
  groupedEvents: GroupedEvent[],
  toTarget: (adapter: EventStorageAdapter) => EventGroupTarget | undefined,
): ParsedGroupEvent[] => {
  assertGroupSize(groupedEvents.length);
  const timestamp = groupTimestamp(groupedEvents);
  const parsed = groupedEvents.map((groupedEvent, index): ParsedGroupEvent => {
    const target = toTarget(groupedEvent.eventStorageAdapter);
    if (target === undefined) {
      throw new CounterError('InvalidEventGroup', {
        reason: 'ForeignAdapter',
        explanation: `event #${index} is not connected to a DynamoDBSingleTableEventStorageAdapter: a group is one DynamoDB transaction, so all its events must use this adapter.`,
        eventIndexes: [index],
      });
    }
    if (groupedEvent.context === undefined) {
      throw new CounterError('InvalidEventGroup', {
        reason: 'MissingContext',
        explanation: `event #${index} has no event store context: group it with eventStore.groupEvent(...), not with the adapter directly.`,
        eventIndexes: [index],
      });
    }
    const event = { ...groupedEvent.event, timestamp } as EventDetail;
    return { ...target, event, eventStoreId: groupedEvent.context.eventStoreId };
  });
  assertOneClient(parsed);
  assertNoDuplicateKey(parsed);
  return parsed;
};

const assertGroupSize = (size: number) => {
  if (size === 0)
    throw new CounterError('InvalidEventGroup', {
      reason: 'EmptyGroup',
      explanation: 'a group needs at least one event.',
    });
  if (size > MAX_TRANSACTION_ACTIONS) {
    throw new CounterError('InvalidEventGroup', {
      reason: 'TooManyEvents',
      explanation: `${size} events, but one DynamoDB transaction takes at most ${MAX_TRANSACTION_ACTIONS}: split the group.`,
    });
  }
};

/** One explicit timestamp applies to all events; several different ones are refused. */
const groupTimestamp = (groupedEvents: GroupedEvent[]): string => {
  let first: { timestamp: string; index: number } | undefined;
  groupedEvents.forEach(({ event }, index) => {
    if (event.timestamp === undefined) return;
    assertValidTimestamp(event.timestamp, `timestamp of group event #${index}`);
    if (first === undefined) first = { timestamp: event.timestamp, index };
    else if (event.timestamp !== first.timestamp) {
      throw new CounterError('InvalidEventGroup', {
        reason: 'DifferentTimestamps',
        explanation: `events #${first.index} and #${index} have different timestamps (${first.timestamp}, ${event.timestamp}): events of a group share one timestamp; set it on one event or on none.`,
        eventIndexes: [first.index, index],
      });
    }
  });
  return first?.timestamp ?? new Date().toISOString();
};

const assertOneClient = (events: ParsedGroupEvent[]) => {
  const [first] = events;
  const otherIndex = events.findIndex(
    ({ dynamoDBClient }) => dynamoDBClient !== first?.dynamoDBClient,
  );
  if (otherIndex !== -1) {
    throw new CounterError('InvalidEventGroup', {
      reason: 'DifferentDynamoDBClients',
      explanation: `event #${otherIndex} uses another DynamoDB client than event #0: one transaction is sent through one client, so share the client between the adapters.`,
      eventIndexes: [0, otherIndex],
    });
  }
};

const assertNoDuplicateKey = (events: ParsedGroupEvent[]) => {
  const seen = new Map<string, number>();
  events.forEach(({ tableName, eventStoreId, event }, index) => {
    const key = JSON.stringify([tableName, eventStoreId, event.aggregateId, event.version]);
    const firstIndex = seen.get(key);
    if (firstIndex !== undefined) {
      throw new CounterError('InvalidEventGroup', {
        reason: 'DuplicateEventKey',
        explanation: `events #${firstIndex} and #${index} both are version ${event.version} of ${eventStoreId} aggregate ${event.aggregateId}.`,
        eventIndexes: [firstIndex, index],
      });
    }
    seen.set(key, index);
  });
};
