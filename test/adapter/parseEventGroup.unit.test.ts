import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type EventStorageAdapter, GroupedEvent } from '@castore/core';
import { describe, expect, it } from 'vitest';

import { type EventGroupTarget, parseEventGroup } from '../../src/adapter/parseEventGroup.js';

// parseEventGroup never sends anything: the clients only need to be told apart.
const clientA = { name: 'A' } as unknown as DynamoDBClient;
const clientB = { name: 'B' } as unknown as DynamoDBClient;
const ours = { kind: 'ours' } as unknown as EventStorageAdapter;
const oursOnB = { kind: 'oursOnB' } as unknown as EventStorageAdapter;
const foreign = { kind: 'foreign' } as unknown as EventStorageAdapter;
const toTarget = (adapter: EventStorageAdapter): EventGroupTarget | undefined =>
  adapter === ours
    ? { dynamoDBClient: clientA, tableName: 'events', requireContiguousVersions: false }
    : adapter === oursOnB
      ? { dynamoDBClient: clientB, tableName: 'events', requireContiguousVersions: false }
      : undefined;

const grouped = ({
  aggregateId = 'a',
  version = 1,
  timestamp,
  adapter = ours,
  eventStoreId = 'orders',
}: {
  aggregateId?: string;
  version?: number;
  timestamp?: string;
  adapter?: EventStorageAdapter;
  /** null: no event store context, as when grouped through the adapter directly. */
  eventStoreId?: string | null;
}) =>
  new GroupedEvent({
    event: { aggregateId, version, type: 'T', ...(timestamp !== undefined ? { timestamp } : {}) },
    eventStorageAdapter: adapter,
    ...(eventStoreId !== null ? { context: { eventStoreId } } : {}),
  });

const refusal = (events: GroupedEvent[]) => {
  try {
    parseEventGroup(events, toTarget);
  } catch (error) {
    return error;
  }
  throw new Error('the group was accepted');
};

describe('parseEventGroup (unit)', () => {
  it('gives every event the one timestamp given, with its store and target', () => {
    const at = '2024-05-01T10:00:00.000Z';
    const parsed = parseEventGroup(
      [
        grouped({ aggregateId: 'a' }),
        grouped({ aggregateId: 'b', timestamp: at, eventStoreId: 'users' }),
      ],
      toTarget,
    );
    expect(
      parsed.map(({ eventStoreId, event, tableName }) => [
        eventStoreId,
        event.aggregateId,
        event.timestamp,
        tableName,
      ]),
    ).toEqual([
      ['orders', 'a', at, 'events'],
      ['users', 'b', at, 'events'],
    ]);
  });

  it('stamps a group without timestamps with one shared, current timestamp', () => {
    const before = new Date().toISOString();
    const parsed = parseEventGroup(
      [grouped({ aggregateId: 'a' }), grouped({ aggregateId: 'b' })],
      toTarget,
    );
    const [first, second] = parsed.map(({ event }) => event.timestamp);
    expect(first).toBe(second);
    expect(first! >= before && first! <= new Date().toISOString()).toBe(true);
  });

  it.each([
    ['EmptyGroup', [], []],
    ['TooManyEvents', Array.from({ length: 101 }, (_, i) => grouped({ aggregateId: `a${i}` })), []],
    ['ForeignAdapter', [grouped({}), grouped({ aggregateId: 'b', adapter: foreign })], [1]],
    ['MissingContext', [grouped({}), grouped({ aggregateId: 'b', eventStoreId: null })], [1]],
    [
      'DifferentDynamoDBClients',
      [grouped({}), grouped({ aggregateId: 'b', adapter: oursOnB })],
      [0, 1],
    ],
    ['DuplicateEventKey', [grouped({}), grouped({ aggregateId: 'b' }), grouped({})], [0, 2]],
    [
      'DifferentTimestamps',
      [
        grouped({ timestamp: '2024-05-01T10:00:00.000Z' }),
        grouped({ aggregateId: 'b' }),
        grouped({ aggregateId: 'c', timestamp: '2024-05-01T10:00:00.001Z' }),
      ],
      [0, 2],
    ],
  ])('refuses %s, naming the events at fault', (reason, events, eventIndexes) => {
    expect(refusal(events as GroupedEvent[])).toMatchObject({
      code: 'InvalidEventGroup',
      reason,
      eventIndexes,
    });
  });

  it('accepts 100 events, and the same version of one aggregate in two stores', () => {
    expect(
      parseEventGroup(
        Array.from({ length: 100 }, (_, i) => grouped({ aggregateId: `a${i}` })),
        toTarget,
      ),
    ).toHaveLength(100);
    expect(
      parseEventGroup([grouped({}), grouped({ eventStoreId: 'users' })], toTarget),
    ).toHaveLength(2);
  });

  it('refuses a timestamp that is not canonical UTC ISO-8601, naming the event', () => {
    expect(
      refusal([grouped({}), grouped({ aggregateId: 'b', timestamp: '2024-05-01' })]),
    ).toMatchObject({
      code: 'InvalidEvent',
      field: 'timestamp of group event #1',
    });
  });
});
