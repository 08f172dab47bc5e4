import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type EventStorageAdapter, EventStore, type GroupedEvent } from '@castore/core';
import { DynamoDBSingleTableEventStorageAdapter as ReferenceAdapter } from '@castore/event-storage-adapter-dynamodb';

import { toEventItem } from '../src/adapter/eventItem.js';
import { createEventTable, DynamoDBSingleTableEventStorageAdapter } from '../src/adapter/index.js';
import { dropTables } from '../src/dynamoDBLocal/dropTables.js';
import { freshId, inParallel, payload, type SuiteOptions } from './adapterFixtures.js';
import { meteredClient } from './capacity.js';
import { contiguousPushComparison } from './contiguousPushSuite.js';
import { compare, type Comparison, type Contender } from './harness.js';

const adapters = (client: DynamoDBClient, tableName: string) => ({
  ours: new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client }),
  reference: new ReferenceAdapter({
    tableName,
    dynamoDBClient: client,
  }) as unknown as EventStorageAdapter,
});

export const runAdapterSuite = async (options: SuiteOptions): Promise<Comparison[]> => {
  const tableName = `bench-events-${Date.now()}`;
  await createEventTable({ dynamoDBClient: options.client, tableName });
  const comparisons: Comparison[] = [];
  for (const concurrency of [1, 16])
    comparisons.push(await pushEventComparison(options, tableName, concurrency));
  for (const concurrency of [1, 16])
    comparisons.push(await contiguousPushComparison(options, tableName, concurrency));
  await seedReads(options, tableName);
  for (const concurrency of [1, 16])
    comparisons.push(...(await readComparisons(options, tableName, concurrency)));
  for (const concurrency of [1, 16])
    comparisons.push(await listComparison(options, tableName, concurrency));
  for (const concurrency of [1, 16])
    comparisons.push(await groupComparison(options, tableName, concurrency));
  await dropTables(options.client, [tableName]);
  return comparisons;
};

const pushEventComparison = async (
  options: SuiteOptions,
  tableName: string,
  concurrency: number,
) => {
  const pushes = Math.round((concurrency === 1 ? 200 : 400) * options.scale);
  // Each contender gets its client (and builds its adapter) once per round, not per push.
  const contender = (
    name: string,
    pusherOn: (client: DynamoDBClient) => (aggregateId: string) => Promise<unknown>,
  ): Contender => ({
    name,
    run: async () => {
      const metered = meteredClient(options.client);
      const push = pusherOn(metered.client);
      await inParallel(pushes, concurrency, () => push(freshId(name)));
      return { operations: pushes, wcu: metered.takeWcu() };
    },
  });
  const event = (aggregateId: string) => ({
    aggregateId,
    version: 1,
    type: 'ORDER_PLACED',
    timestamp: new Date().toISOString(),
    payload,
  });
  return compare({
    suite: 'adapter',
    name: `pushEvent, concurrency ${concurrency}`,
    baseline: 'raw SDK conditional PutItem',
    rounds: options.rounds,
    warmup: options.warmup,
    contenders: [
      contender(
        'raw SDK conditional PutItem',
        (client) => (id) =>
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: toEventItem(event(id), 'bench'),
              ConditionExpression: 'attribute_not_exists(#v)',
              ExpressionAttributeNames: { '#v': 'version' },
            }),
          ),
      ),
      contender('castore-dynamodb-counter', (client) => {
        const { ours } = adapters(client, tableName);
        return (id) => ours.pushEvent(event(id), { eventStoreId: 'bench' });
      }),
      contender('@castore reference 2.4.2', (client) => {
        const { reference } = adapters(client, tableName);
        return (id) => reference.pushEvent(event(id), { eventStoreId: 'bench' });
      }),
    ],
  });
};

const aggregateId = 'big-aggregate';
const aggregateSize = (options: SuiteOptions) => Math.round(1_000 * options.scale);
const listedCount = (options: SuiteOptions) => Math.round(5_000 * options.scale);

/** The 1,000-event aggregate and the 5,000 aggregates the read comparisons read. */
const seedReads = async (options: SuiteOptions, tableName: string) => {
  const { ours } = adapters(options.client, tableName);
  await inParallel(aggregateSize(options), 16, (index) =>
    ours.pushEvent(
      { aggregateId, version: index + 1, type: 'T', payload },
      { eventStoreId: 'bench' },
    ),
  );
  await inParallel(listedCount(options), 32, (index) =>
    ours.pushEvent(
      { aggregateId: `listed-${index}`, version: 1, type: 'T' },
      { eventStoreId: 'listed' },
    ),
  );
};

const readComparisons = async (options: SuiteOptions, tableName: string, concurrency: number) => {
  const { ours, reference } = adapters(options.client, tableName);
  const size = aggregateSize(options);
  const rawQuery = async (input: { Limit?: number; ScanIndexForward?: boolean }) => {
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await options.client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'aggregateId = :id',
          ExpressionAttributeValues: { ':id': { S: `bench#${aggregateId}` } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...input,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey =
        input.Limit !== undefined && items.length >= input.Limit
          ? undefined
          : page.LastEvaluatedKey;
    } while (startKey !== undefined);
    // The same work as the adapters: items become plain objects.
    return items.map((item) => unmarshall(item));
  };
  // Rounds of about half a second, with enough calls to keep `concurrency` in flight.
  const fullReads = concurrency === 1 ? 16 : 32;
  const lastReads = concurrency === 1 ? 200 : 400;
  const reads = (count: number, read: () => Promise<unknown>) => async () => {
    await inParallel(count, concurrency, read);
    return { operations: count };
  };
  const full = await compare({
    suite: 'adapter',
    name: `getEvents of a ${size}-event aggregate, concurrency ${concurrency}`,
    baseline: 'raw SDK Query loop + unmarshall',
    rounds: options.rounds,
    warmup: options.warmup,
    contenders: [
      { name: 'raw SDK Query loop + unmarshall', run: reads(fullReads, () => rawQuery({})) },
      {
        name: 'castore-dynamodb-counter',
        run: reads(fullReads, () => ours.getEvents(aggregateId, { eventStoreId: 'bench' })),
      },
      {
        name: '@castore reference 2.4.2',
        run: reads(fullReads, () => reference.getEvents(aggregateId, { eventStoreId: 'bench' })),
      },
    ],
  });
  const last = await compare({
    suite: 'adapter',
    name: `last event (reverse + limit 1) of a ${size}-event aggregate, concurrency ${concurrency}`,
    baseline: 'raw SDK Query Limit 1',
    rounds: options.rounds,
    warmup: options.warmup,
    contenders: [
      {
        name: 'raw SDK Query Limit 1',
        run: reads(lastReads, () => rawQuery({ Limit: 1, ScanIndexForward: false })),
      },
      {
        name: 'castore-dynamodb-counter',
        run: reads(lastReads, () =>
          ours.getEvents(aggregateId, { eventStoreId: 'bench' }, { reverse: true, limit: 1 }),
        ),
      },
      // It reads the whole aggregate each time: a few reads make a round of seconds.
      {
        name: '@castore reference 2.4.2',
        run: reads(concurrency === 1 ? 3 : 16, () =>
          reference.getEvents(aggregateId, { eventStoreId: 'bench' }, { reverse: true, limit: 1 }),
        ),
      },
    ],
  });
  return [full, last];
};

const listComparison = async (options: SuiteOptions, tableName: string, concurrency: number) => {
  const { ours, reference } = adapters(options.client, tableName);
  const count = listedCount(options);
  // `concurrency` listings page through all the ids at once.
  const times = (list: () => Promise<{ operations: number }>) => async () => {
    const results = await Promise.all(Array.from({ length: concurrency }, list));
    return { operations: results.reduce((sum, { operations }) => sum + operations, 0) };
  };
  const pageThrough = (adapter: EventStorageAdapter) => async () => {
    let pageToken: string | undefined;
    let listed = 0;
    do {
      const page = await adapter.listAggregateIds(
        { eventStoreId: 'listed' },
        pageToken === undefined ? { limit: 100 } : { pageToken },
      );
      listed += page.aggregateIds.length;
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    return { operations: listed };
  };
  const raw = async () => {
    let startKey: Record<string, AttributeValue> | undefined;
    let listed = 0;
    do {
      const page = await options.client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'initialEvents',
          KeyConditionExpression: 'eventStoreId = :s',
          ExpressionAttributeValues: { ':s': { S: 'listed' } },
          Limit: 100,
          ExclusiveStartKey: startKey,
        }),
      );
      listed += (page.Items ?? []).map((item) => unmarshall(item)).length;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return { operations: listed };
  };
  return compare({
    suite: 'adapter',
    name: `listAggregateIds through ${count} aggregates, pages of 100, concurrency ${concurrency}`,
    unit: 'ids/s',
    baseline: 'raw SDK GSI Query loop + unmarshall',
    rounds: options.rounds,
    warmup: options.warmup,
    contenders: [
      { name: 'raw SDK GSI Query loop + unmarshall', run: times(raw) },
      { name: 'castore-dynamodb-counter', run: times(pageThrough(ours)) },
      { name: '@castore reference 2.4.2', run: times(pageThrough(reference)) },
    ],
  });
};

const groupComparison = async (options: SuiteOptions, tableName: string, concurrency: number) => {
  const groups = Math.round((concurrency === 1 ? 30 : 48) * options.scale);
  const reducer = () => ({ aggregateId: 'x', version: 1 });
  const storesOn = (adapter: EventStorageAdapter) =>
    [0, 1].map(
      (i) =>
        new EventStore({
          eventStoreId: `group${i}`,
          eventTypes: [],
          reducer,
          eventStorageAdapter: adapter,
        }) as unknown as EventStore,
    );
  const groupOf = (stores: EventStore[]) =>
    Array.from({ length: 10 }, (_, i) =>
      (stores[i % 2] as EventStore).groupEvent({
        aggregateId: freshId('g'),
        version: 1,
        type: 'T',
        payload,
      } as never),
    ) as [GroupedEvent, ...GroupedEvent[]];
  const viaEventStore =
    (adapterOf: (client: DynamoDBClient) => EventStorageAdapter): Contender['run'] =>
    async () => {
      const metered = meteredClient(options.client);
      const stores = storesOn(adapterOf(metered.client));
      await inParallel(groups, concurrency, () =>
        EventStore.pushEventGroup({}, ...groupOf(stores)),
      );
      return { operations: groups * 10, wcu: metered.takeWcu() };
    };
  return compare({
    suite: 'adapter',
    name: `EventStore.pushEventGroup of 10 events, concurrency ${concurrency}`,
    unit: 'events/s',
    baseline: 'raw SDK TransactWriteItems',
    rounds: options.rounds,
    warmup: options.warmup,
    contenders: [
      {
        name: 'raw SDK TransactWriteItems',
        run: async () => {
          const metered = meteredClient(options.client);
          const timestamp = new Date().toISOString();
          await inParallel(groups, concurrency, () =>
            metered.client.send(
              new TransactWriteItemsCommand({
                TransactItems: Array.from({ length: 10 }, (_, i) => ({
                  Put: {
                    TableName: tableName,
                    Item: toEventItem(
                      { aggregateId: freshId('g'), version: 1, type: 'T', timestamp, payload },
                      `group${i % 2}`,
                    ),
                    ConditionExpression: 'attribute_not_exists(#v)',
                    ExpressionAttributeNames: { '#v': 'version' },
                  },
                })),
              }),
            ),
          );
          return { operations: groups * 10, wcu: metered.takeWcu() };
        },
      },
      {
        name: 'castore-dynamodb-counter',
        run: viaEventStore((client) => adapters(client, tableName).ours),
      },
      {
        name: '@castore reference 2.4.2',
        run: viaEventStore((client) => adapters(client, tableName).reference),
      },
    ],
  });
};
