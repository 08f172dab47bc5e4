import {
  type DynamoDBClient,
  ScanCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { EventStore, type GroupedEvent, isEventAlreadyExistsError } from '@castore/core';
import { DynamoDBSingleTableEventStorageAdapter as ReferenceAdapter } from '@castore/event-storage-adapter-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import type { CounterErrorOf } from '../../src/index.js';
import { makeDynamoDBClient, useDynamoDB } from '../support/dynamoDB.js';

const { client, createTestEventTable } = useDynamoDB();
let tableName: string;
let adapter: DynamoDBSingleTableEventStorageAdapter;

beforeAll(async () => {
  tableName = await createTestEventTable();
  adapter = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client });
});

const groupOf = (
  eventStoreId: string,
  events: { aggregateId: string; version: number; timestamp?: string }[],
  groupAdapter: { groupEvent: DynamoDBSingleTableEventStorageAdapter['groupEvent'] } = adapter,
): GroupedEvent[] =>
  events.map((event) => {
    const grouped = groupAdapter.groupEvent({ type: 'GROUPED', ...event });
    grouped.context = { eventStoreId };
    return grouped;
  });

const push = (groupedEvents: GroupedEvent[], options: { force?: boolean } = {}) =>
  adapter.pushEventGroup(options, ...(groupedEvents as [GroupedEvent, ...GroupedEvent[]]));

const storedKeys = async (prefix: string) => {
  const { Items = [] } = await client.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(aggregateId, :prefix)',
      ExpressionAttributeValues: { ':prefix': { S: prefix } },
    }),
  );
  return Items.map((item) => `${item.aggregateId?.S}/${item.version?.N}`).sort();
};

describe('pushEventGroup', () => {
  it('writes every event of the group with one shared timestamp', async () => {
    const { eventGroup } = await push([
      ...groupOf('orders', [{ aggregateId: 'g1', version: 1 }]),
      ...groupOf('users', [
        { aggregateId: 'g1', version: 1 },
        { aggregateId: 'g2', version: 1 },
      ]),
    ]);
    expect(eventGroup).toHaveLength(3);
    const timestamps = new Set(eventGroup.map(({ event }) => event.timestamp));
    expect(timestamps.size).toBe(1);
    const [orders] = (await adapter.getEvents('g1', { eventStoreId: 'orders' })).events;
    expect(orders?.timestamp).toBe([...timestamps][0]);
    expect(await storedKeys('users#g')).toEqual(['users#g1/1', 'users#g2/1']);
  });

  it('applies one explicit timestamp to every event of the group', async () => {
    const timestamp = '2024-05-01T10:00:00.000Z';
    const { eventGroup } = await push(
      groupOf('ts', [
        { aggregateId: 'a', version: 1 },
        { aggregateId: 'b', version: 1, timestamp },
        { aggregateId: 'c', version: 1 },
      ]),
    );
    expect(eventGroup.map(({ event }) => event.timestamp)).toEqual([
      timestamp,
      timestamp,
      timestamp,
    ]);
    const [c] = (await adapter.getEvents('c', { eventStoreId: 'ts' })).events;
    expect(c?.timestamp).toBe(timestamp);
  });

  it('writes none of its events when the third one already exists, and names that event', async () => {
    await adapter.pushEvent(
      { aggregateId: 'taken', version: 2, type: 'EXISTING' },
      { eventStoreId: 'conflict' },
    );
    const error = await push(
      groupOf('conflict', [
        { aggregateId: 'free1', version: 1 },
        { aggregateId: 'free2', version: 1 },
        { aggregateId: 'taken', version: 2 },
        { aggregateId: 'free3', version: 1 },
      ]),
    ).catch((e: unknown) => e);
    expect(isEventAlreadyExistsError(error)).toBe(true);
    expect(error).toMatchObject({ eventStoreId: 'conflict', aggregateId: 'taken', version: 2 });
    expect(await storedKeys('conflict#')).toEqual(['conflict#taken/2']);
  });

  it('overwrites existing events with force', async () => {
    await adapter.pushEvent(
      { aggregateId: 'forced', version: 1, type: 'OLD' },
      { eventStoreId: 'force' },
    );
    await push(groupOf('force', [{ aggregateId: 'forced', version: 1 }]), { force: true });
    const { events } = await adapter.getEvents('forced', { eventStoreId: 'force' });
    expect(events.map((e) => e.type)).toEqual(['GROUPED']);
  });

  describe('refuses before sending anything', () => {
    const expectRefused = async (groupedEvents: GroupedEvent[], reason: string, prefix: string) => {
      const error = await push(groupedEvents).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'InvalidEventGroup', reason });
      expect(await storedKeys(prefix)).toEqual([]);
    };

    it('a group of 101 events', () =>
      expectRefused(
        groupOf(
          'big',
          Array.from({ length: 101 }, (_, i) => ({ aggregateId: `a${i}`, version: 1 })),
        ),
        'TooManyEvents',
        'big#',
      ));

    it('the same event key twice', () =>
      expectRefused(
        groupOf('dup', [
          { aggregateId: 'x', version: 1 },
          { aggregateId: 'y', version: 1 },
          { aggregateId: 'x', version: 1 },
        ]),
        'DuplicateEventKey',
        'dup#',
      ));

    it('events on adapters with different DynamoDB clients', async () => {
      const otherClient = makeDynamoDBClient();
      const otherAdapter = new DynamoDBSingleTableEventStorageAdapter({
        tableName,
        dynamoDBClient: otherClient,
      });
      await expectRefused(
        [
          ...groupOf('clients', [{ aggregateId: 'x', version: 1 }]),
          ...groupOf('clients', [{ aggregateId: 'y', version: 1 }], otherAdapter),
        ],
        'DifferentDynamoDBClients',
        'clients#',
      );
      otherClient.destroy();
    });

    it('different explicit timestamps', () =>
      expectRefused(
        groupOf('times', [
          { aggregateId: 'x', version: 1, timestamp: '2024-01-01T00:00:00.000Z' },
          { aggregateId: 'y', version: 1, timestamp: '2024-01-02T00:00:00.000Z' },
        ]),
        'DifferentTimestamps',
        'times#',
      ));

    it('an event of another adapter', () =>
      expectRefused(
        [
          ...groupOf('foreign', [{ aggregateId: 'x', version: 1 }]),
          ...groupOf(
            'foreign',
            [{ aggregateId: 'y', version: 1 }],
            new ReferenceAdapter({ tableName, dynamoDBClient: client }),
          ),
        ],
        'ForeignAdapter',
        'foreign#',
      ));

    it('an event grouped without its event store context', () =>
      expectRefused(
        [adapter.groupEvent({ aggregateId: 'x', version: 1, type: 'T' })],
        'MissingContext',
        'nocontext#',
      ));
  });

  it('works through EventStore.pushEventGroup across two event stores', async () => {
    const eventTypes: never[] = [];
    const reducer = () => ({ aggregateId: 'x', version: 1 });
    const first = new EventStore({
      eventStoreId: 'first',
      eventTypes,
      reducer,
      eventStorageAdapter: adapter,
    });
    const second = new EventStore({
      eventStoreId: 'second',
      eventTypes,
      reducer,
      eventStorageAdapter: adapter,
    });
    await EventStore.pushEventGroup(
      first.groupEvent({ aggregateId: 'x', version: 1, type: 'T' } as never),
      second.groupEvent({ aggregateId: 'x', version: 1, type: 'T' } as never),
    );
    expect(await storedKeys('first#')).toEqual(['first#x/1']);
    expect(await storedKeys('second#')).toEqual(['second#x/1']);
  });
});

describe('pushEventGroup when DynamoDB cancels for another reason (injected: DynamoDB Local cannot produce TransactionConflict)', () => {
  const cancellingClient = (codes: string[]) =>
    ({
      send: async () => {
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: codes.map((Code) => ({ Code })),
        });
      },
    }) as unknown as DynamoDBClient;

  it('raises EventGroupCancelledError naming the conflicting event, never EventAlreadyExists', async () => {
    const faulty = new DynamoDBSingleTableEventStorageAdapter({
      tableName,
      dynamoDBClient: cancellingClient(['None', 'TransactionConflict']),
    });
    const error = (await push(
      groupOf(
        'conflict2',
        [
          { aggregateId: 'a', version: 1 },
          { aggregateId: 'b', version: 3 },
        ],
        faulty,
      ),
    ).catch((e: unknown) => e)) as CounterErrorOf<'EventGroupCancelled'>;
    expect(isEventAlreadyExistsError(error)).toBe(false);
    expect(error.code).toBe('EventGroupCancelled');
    expect(error.reasons).toEqual([
      {
        eventIndex: 1,
        eventStoreId: 'conflict2',
        aggregateId: 'b',
        version: 3,
        reasonCode: 'TransactionConflict',
      },
    ]);
  });

  it('raises EventGroupCancelledError on throttling', async () => {
    const faulty = new DynamoDBSingleTableEventStorageAdapter({
      tableName,
      dynamoDBClient: cancellingClient(['ThrottlingError']),
    });
    const error = await push(
      groupOf('throttled', [{ aggregateId: 'a', version: 1 }], faulty),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'EventGroupCancelled',
      reasons: [{ reasonCode: 'ThrottlingError', eventIndex: 0 }],
    });
  });
});
