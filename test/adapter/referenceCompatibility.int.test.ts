import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { EventStorageAdapter, GroupedEvent } from '@castore/core';
import * as reference from '@castore/event-storage-adapter-dynamodb';
import { describe, expect, it } from 'vitest';

import * as ours from '../../src/adapter/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';

const { client, createTestEventTable } = useDynamoDB();

const timestamp = '2024-03-01T08:00:00.000Z';

/** The same writes, through either adapter: single events and a group, with and without payload/metadata. */
const writeSample = async (adapter: EventStorageAdapter) => {
  const orders = { eventStoreId: 'orders' };
  await adapter.pushEvent(
    {
      aggregateId: 'o1',
      version: 1,
      type: 'PLACED',
      timestamp,
      payload: { n: 1, tags: ['a'], empty: {} },
    },
    orders,
  );
  await adapter.pushEvent(
    { aggregateId: 'o1', version: 2, type: 'SHIPPED', timestamp, metadata: { by: 'x' } },
    orders,
  );
  await adapter.pushEvent({ aggregateId: 'o1', version: 3, type: 'NOTHING', timestamp }, orders);
  const group = [
    {
      eventStoreId: 'orders',
      event: { aggregateId: 'o2', version: 1, type: 'PLACED', timestamp, payload: { n: 2 } },
    },
    {
      eventStoreId: 'users',
      event: { aggregateId: 'u1', version: 1, type: 'SIGNED_UP', timestamp, payload: {} },
    },
  ].map(({ eventStoreId, event }) => {
    const grouped = adapter.groupEvent(event);
    grouped.context = { eventStoreId };
    return grouped;
  }) as [GroupedEvent, ...GroupedEvent[]];
  await adapter.pushEventGroup({}, ...group);
};

const scanSorted = async (tableName: string) => {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
  const key = (item: Record<string, AttributeValue>) => `${item.aggregateId?.S}/${item.version?.N}`;
  return Items.sort((a, b) => key(a).localeCompare(key(b)));
};

describe('compatibility with @castore/event-storage-adapter-dynamodb 2.4.2', () => {
  it('exports the same table constants', () => {
    for (const name of [
      'EVENT_TABLE_PK',
      'EVENT_TABLE_SK',
      'EVENT_TABLE_TIMESTAMP_KEY',
      'EVENT_TABLE_EVENT_TYPE_KEY',
      'EVENT_TABLE_PAYLOAD_KEY',
      'EVENT_TABLE_METADATA_KEY',
      'EVENT_TABLE_IS_INITIAL_EVENT_KEY',
      'EVENT_TABLE_EVENT_STORE_ID_KEY',
      'EVENT_TABLE_INITIAL_EVENT_INDEX_NAME',
    ] as const) {
      expect(ours[name]).toBe(reference[name]);
    }
  });

  it('writes the very same items as the reference, item for item', async () => {
    const oursTable = await createTestEventTable('ours');
    const referenceTable = await createTestEventTable('reference');
    await writeSample(
      new ours.DynamoDBSingleTableEventStorageAdapter({
        tableName: oursTable,
        dynamoDBClient: client,
      }),
    );
    await writeSample(
      new reference.DynamoDBSingleTableEventStorageAdapter({
        tableName: referenceTable,
        dynamoDBClient: client,
      }),
    );
    const oursItems = await scanSorted(oursTable);
    expect(oursItems).toHaveLength(5);
    expect(oursItems).toEqual(await scanSorted(referenceTable));
  });

  it('reads what the reference wrote, and the reference reads what we wrote', async () => {
    const tableName = await createTestEventTable('shared');
    const oursAdapter = new ours.DynamoDBSingleTableEventStorageAdapter({
      tableName,
      dynamoDBClient: client,
    });
    const referenceAdapter = new reference.DynamoDBSingleTableEventStorageAdapter({
      tableName,
      dynamoDBClient: client,
    });
    await writeSample(referenceAdapter);
    await oursAdapter.pushEvent(
      { aggregateId: 'o3', version: 1, type: 'PLACED', timestamp },
      { eventStoreId: 'orders' },
    );

    for (const aggregateId of ['o1', 'o2', 'o3']) {
      const [a, b] = await Promise.all(
        [oursAdapter, referenceAdapter].map((adapter) =>
          adapter.getEvents(aggregateId, { eventStoreId: 'orders' }),
        ),
      );
      expect(a).toEqual(b);
      expect(a?.events.length).toBeGreaterThan(0);
    }
    const [a, b] = await Promise.all(
      [oursAdapter, referenceAdapter].map((adapter) =>
        adapter.listAggregateIds({ eventStoreId: 'orders' }),
      ),
    );
    expect(a?.aggregateIds.map((x) => x.aggregateId).sort()).toEqual(['o1', 'o2', 'o3']);
    expect(a?.aggregateIds.sort()).toEqual(b?.aggregateIds.sort());
  });

  it('refuses the eventStoreId whose keys collide in the reference', async () => {
    const tableName = await createTestEventTable('collide');
    const referenceAdapter = new reference.DynamoDBSingleTableEventStorageAdapter({
      tableName,
      dynamoDBClient: client,
    });
    const oursAdapter = new ours.DynamoDBSingleTableEventStorageAdapter({
      tableName,
      dynamoDBClient: client,
    });
    // The reference's fault: store "A" + aggregate "B#x" and store "A#B" + aggregate "x" are one key.
    await referenceAdapter.pushEvent(
      { aggregateId: 'B#x', version: 1, type: 'T' },
      { eventStoreId: 'A' },
    );
    const clash = await referenceAdapter
      .pushEvent({ aggregateId: 'x', version: 1, type: 'T' }, { eventStoreId: 'A#B' })
      .catch((e: unknown) => e);
    expect(clash).toMatchObject({ code: 'EventAlreadyExistsError' });

    const error = await oursAdapter
      .pushEvent({ aggregateId: 'x', version: 1, type: 'T' }, { eventStoreId: 'A#B' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidEventStoreId', eventStoreId: 'A#B' });
    // '#' stays allowed in aggregate ids: the first '#' always ends the event store id.
    expect((await oursAdapter.getEvents('B#x', { eventStoreId: 'A' })).events).toHaveLength(1);
  });
});
