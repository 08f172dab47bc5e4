import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type EventDetail, isEventAlreadyExistsError } from '@castore/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { CounterError } from '../../src/shared/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';

const { client, createTestEventTable } = useDynamoDB();
let tableName: string;
let adapter: DynamoDBSingleTableEventStorageAdapter;
const context = { eventStoreId: 'orders' };

beforeAll(async () => {
  tableName = await createTestEventTable();
  adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: () => tableName,
    dynamoDBClient: client,
  });
});

const pushVersions = async (
  aggregateId: string,
  count: number,
  payload: (version: number) => unknown,
) => {
  for (let version = 1; version <= count; version++) {
    await adapter.pushEvent(
      { aggregateId, version, type: 'SOMETHING_HAPPENED', payload: payload(version) },
      context,
    );
  }
};

describe('pushEvent', () => {
  it('stores the event with the reference layout and fills in the timestamp', async () => {
    const before = new Date().toISOString();
    const { event } = await adapter.pushEvent(
      {
        aggregateId: 'a1',
        version: 1,
        type: 'ORDER_PLACED',
        payload: { quantity: 2 },
        metadata: { by: 'me' },
      },
      context,
    );
    expect(event.timestamp >= before).toBe(true);

    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { aggregateId: { S: 'orders#a1' }, version: { N: '1' } },
      }),
    );
    expect(Item).toEqual({
      aggregateId: { S: 'orders#a1' },
      version: { N: '1' },
      type: { S: 'ORDER_PLACED' },
      timestamp: { S: event.timestamp },
      payload: { M: { quantity: { N: '2' } } },
      metadata: { M: { by: { S: 'me' } } },
      eventStoreId: { S: 'orders' },
    });
  });

  it('sets eventStoreId only on version 1 and omits undefined payload and metadata', async () => {
    await adapter.pushEvent(
      {
        aggregateId: 'a2',
        version: 1,
        type: 'ORDER_PLACED',
        timestamp: '2024-01-01T00:00:00.000Z',
      },
      context,
    );
    await adapter.pushEvent(
      {
        aggregateId: 'a2',
        version: 2,
        type: 'ORDER_SHIPPED',
        timestamp: '2024-01-02T00:00:00.000Z',
      },
      context,
    );
    const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
    const v2 = Items.find((item) => item.aggregateId?.S === 'orders#a2' && item.version?.N === '2');
    expect(v2).toEqual({
      aggregateId: { S: 'orders#a2' },
      version: { N: '2' },
      type: { S: 'ORDER_SHIPPED' },
      timestamp: { S: '2024-01-02T00:00:00.000Z' },
    });
  });

  it('refuses an existing version with the Castore EventAlreadyExists error, and force overwrites', async () => {
    await adapter.pushEvent({ aggregateId: 'a3', version: 1, type: 'A' }, context);
    const error = await adapter
      .pushEvent({ aggregateId: 'a3', version: 1, type: 'B' }, context)
      .catch((e: unknown) => e);
    expect(isEventAlreadyExistsError(error)).toBe(true);
    // The library's one error type, with Castore's code.
    expect(error).toBeInstanceOf(CounterError);
    expect(error).toMatchObject({
      name: 'EventAlreadyExistsError',
      code: 'EventAlreadyExistsError',
      eventStoreId: 'orders',
      aggregateId: 'a3',
      version: 1,
    });

    await adapter.pushEvent(
      { aggregateId: 'a3', version: 1, type: 'B' },
      { ...context, force: true },
    );
    const { events } = await adapter.getEvents('a3', context);
    expect(events.map((e) => e.type)).toEqual(['B']);
  });

  it('lets exactly one of 50 concurrent pushes of the same version win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, writer) =>
        adapter.pushEvent(
          { aggregateId: 'race', version: 1, type: 'WRITTEN', payload: { writer } },
          context,
        ),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    expect(lost.every((r) => isEventAlreadyExistsError(r.reason))).toBe(true);

    const { events } = await adapter.getEvents('race', context);
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toEqual(
      (won[0] as PromiseFulfilledResult<{ event: EventDetail }>).value.event.payload,
    );
  });

  it.each([
    [
      'an eventStoreId with #',
      { aggregateId: 'x', version: 1, type: 'T' },
      { eventStoreId: 'a#b' },
      'InvalidEventStoreId',
    ],
    [
      'an empty eventStoreId',
      { aggregateId: 'x', version: 1, type: 'T' },
      { eventStoreId: '' },
      'InvalidEventStoreId',
    ],
    ['an empty aggregateId', { aggregateId: '', version: 1, type: 'T' }, context, 'InvalidEvent'],
    [
      'a 3 KB aggregateId',
      { aggregateId: 'x'.repeat(3000), version: 1, type: 'T' },
      context,
      'InvalidEvent',
    ],
    ['version 0', { aggregateId: 'x', version: 0, type: 'T' }, context, 'InvalidEvent'],
    ['version 1.5', { aggregateId: 'x', version: 1.5, type: 'T' }, context, 'InvalidEvent'],
    ['an empty type', { aggregateId: 'x', version: 1, type: '' }, context, 'InvalidEvent'],
    [
      'a non-ISO timestamp',
      { aggregateId: 'x', version: 1, type: 'T', timestamp: 'yesterday' },
      context,
      'InvalidEvent',
    ],
    [
      'a payload DynamoDB cannot store',
      { aggregateId: 'x', version: 1, type: 'T', payload: { f: () => 1 } },
      context,
      'InvalidEvent',
    ],
  ])('refuses %s with a typed error and writes nothing', async (_, event, eventContext, code) => {
    const error = await adapter
      .pushEvent(event as EventDetail, eventContext)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(/expected|must/);
    const { Count } = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(aggregateId, :x)',
        ExpressionAttributeValues: { ':x': { S: `${eventContext.eventStoreId}#x` } },
        Select: 'COUNT',
      }),
    );
    expect(Count).toBe(0);
  });
});

describe('getEvents', () => {
  beforeAll(() => pushVersions('ten', 10, (version) => ({ version })));

  it('returns all events in version order, with the aggregate id unprefixed', async () => {
    const { events } = await adapter.getEvents('ten', context);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events.every((e) => e.aggregateId === 'ten')).toBe(true);
  });

  it.each([
    [{ minVersion: 3 }, [3, 4, 5, 6, 7, 8, 9, 10]],
    [{ maxVersion: 3 }, [1, 2, 3]],
    [{ minVersion: 4, maxVersion: 6 }, [4, 5, 6]],
    [{ limit: 3 }, [1, 2, 3]],
    [{ reverse: true, limit: 1 }, [10]],
    [{ reverse: true, limit: 3 }, [10, 9, 8]],
    [{ reverse: true, maxVersion: 5, limit: 2 }, [5, 4]],
    [{ minVersion: 8, limit: 5 }, [8, 9, 10]],
    [{ minVersion: 7, maxVersion: 3 }, []],
    [{ limit: 100 }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ])('honours %j', async (options, versions) => {
    const { events } = await adapter.getEvents('ten', context, options);
    expect(events.map((e) => e.version)).toEqual(versions);
  });

  it('returns nothing for an unknown aggregate, and nothing of another event store', async () => {
    expect((await adapter.getEvents('nope', context)).events).toEqual([]);
    expect((await adapter.getEvents('ten', { eventStoreId: 'users' })).events).toEqual([]);
  });

  it.each([[{ limit: 0 }], [{ limit: 1.5 }], [{ minVersion: -1 }], [{ reverse: 'yes' }]])(
    'refuses the invalid option %j',
    async (options) => {
      const error = await adapter
        .getEvents('ten', context, options as never)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'InvalidQueryOption' });
    },
  );

  describe('on an aggregate larger than 1 MB', () => {
    const bigPayload = (version: number) => ({ version, filler: 'x'.repeat(100_000) });
    beforeAll(() => pushVersions('big', 25, bigPayload)); // about 2.5 MB: at least 3 query pages

    it('reads every page', async () => {
      const { events } = await adapter.getEvents('big', context);
      expect(events.map((e) => e.version)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(events[24]?.payload).toEqual(bigPayload(25));
    });

    it('stops at the limit, and reads only the last event with reverse + limit 1', async () => {
      const sent: unknown[] = [];
      const countingClient = new Proxy(client, {
        get: (target, property, receiver) =>
          property === 'send'
            ? (command: unknown) => (sent.push(command), target.send(command as never))
            : Reflect.get(target, property, receiver),
      });
      const countingAdapter = new DynamoDBSingleTableEventStorageAdapter({
        tableName,
        dynamoDBClient: countingClient,
      });
      const last = await countingAdapter.getEvents('big', context, { reverse: true, limit: 1 });
      expect(last.events.map((e) => e.version)).toEqual([25]);
      expect(sent).toHaveLength(1);

      const fifteen = await countingAdapter.getEvents('big', context, { limit: 15 });
      expect(fifteen.events.map((e) => e.version)).toEqual(
        Array.from({ length: 15 }, (_, i) => i + 1),
      );
    });
  });
});
