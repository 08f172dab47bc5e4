import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventStore, type GroupedEvent } from '@castore/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';

const { client, createTestEventTable, createTestCountsTable } = useDynamoDB();
let tableName: string;
let adapter: DynamoDBSingleTableEventStorageAdapter;

beforeAll(async () => {
  tableName = await createTestEventTable();
  adapter = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client });
});

const itemsOf = async (prefix: string) => {
  const { Items = [] } = await client.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(aggregateId, :p)',
      ExpressionAttributeValues: { ':p': { S: prefix } },
    }),
  );
  return Items;
};

describe('payloads above DynamoDB’s 400 KB item limit', () => {
  const big = { blob: 'x'.repeat(410 * 1024) };

  it('are refused with a typed error naming the event, and nothing is written', async () => {
    const error = await adapter
      .pushEvent(
        { aggregateId: 'big', version: 1, type: 'T', payload: big },
        { eventStoreId: 'large' },
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'InvalidEvent',
      field: 'payload of large aggregate big version 1',
    });
    expect((error as Error).message).toMatch(/at most 400 KB.*Nothing was written/);
    expect(await itemsOf('large#')).toEqual([]);
  });

  it('in a group, refuse the whole group, name the large event, and write none of it', async () => {
    const stores = ['largeA', 'largeB'].map(
      (eventStoreId) =>
        new EventStore({
          eventStoreId,
          eventTypes: [],
          reducer: () => ({ aggregateId: 'x', version: 1 }),
          eventStorageAdapter: adapter,
        }) as unknown as EventStore,
    );
    const group = [
      (stores[0] as EventStore).groupEvent({
        aggregateId: 'small',
        version: 1,
        type: 'T',
        payload: { ok: true },
      } as never),
      (stores[1] as EventStore).groupEvent({
        aggregateId: 'big',
        version: 1,
        type: 'T',
        payload: big,
      } as never),
    ] as [GroupedEvent, ...GroupedEvent[]];
    const error = await EventStore.pushEventGroup({}, ...group).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'InvalidEvent',
      field: 'payload of group event #1 (largeB aggregate big version 1)',
    });
    expect(await itemsOf('largeA#')).toEqual([]);
    expect(await itemsOf('largeB#')).toEqual([]);
  });
});

describe('values that look like DynamoDB expression syntax stay data', () => {
  const tricky = [
    '#aggregateId',
    ':aggregateId',
    'attribute_not_exists(version)',
    'a = :b OR #c <> :d',
    'version BETWEEN :minVersion AND :maxVersion',
    '#version',
    ':delta',
    'SET #count = :x',
    ')); DROP TABLE events; --',
  ];

  it('as aggregate ids, types, payload and metadata keys: stored and read back exactly', async () => {
    for (const [index, text] of tricky.entries()) {
      const event = {
        aggregateId: text,
        version: 1,
        type: text,
        timestamp: '2024-01-01T00:00:00.000Z',
        payload: { [text]: text, '#': ':', ':v': '#n' },
        metadata: { [text]: [text] },
      };
      await adapter.pushEvent(event, { eventStoreId: 'injection' });
      await adapter.pushEvent({ ...event, version: 2 }, { eventStoreId: 'injection' });
      const { events } = await adapter.getEvents(
        text,
        { eventStoreId: 'injection' },
        { minVersion: 1, maxVersion: 2 },
      );
      expect(events, `value #${index}`).toEqual([event, { ...event, version: 2 }]);
    }
    const { aggregateIds } = await adapter.listAggregateIds({ eventStoreId: 'injection' });
    expect(aggregateIds.map((a) => a.aggregateId).sort()).toEqual([...tricky].sort());
  });

  it('as counter keys and targetRefs: counted as data, exactly once', async () => {
    const store = new EventStore({
      eventStoreId: 'injection',
      eventTypes: [],
      reducer: () => ({ aggregateId: 'x', version: 1 }),
    }) as unknown as EventStore;
    const countsTableName = await createTestCountsTable();
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [store],
      counters: [counter({ name: 'tricky', eventStore: store, key: () => 'k' })],
    });
    for (const text of tricky) {
      expect(
        await projection.increment({ counterName: 'tricky', key: text, by: 2, targetRef: text }),
      ).toEqual({ counted: true });
      expect(
        await projection.increment({ counterName: 'tricky', key: text, by: 2, targetRef: text }),
      ).toEqual({ counted: false });
    }
    expect(
      await projection.getCounts(tricky.map((key) => ({ counterName: 'tricky', key }))),
    ).toEqual(tricky.map(() => 2));
    const { refs } = await projection.listCountedRefs('tricky', tricky[3] as string);
    expect(refs.map((r) => r.targetRef)).toEqual([tricky[3]]);
  });
});
