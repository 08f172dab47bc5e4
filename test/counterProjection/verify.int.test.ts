import {
  DeleteItemCommand,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import {
  counters as exampleCounters,
  makeOrdersStore,
  makeUsersStore,
  planWorkload,
  type PushedEvent,
  pushWorkload,
} from '../../src/example/index.js';
import { eventRecords } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { interceptSend } from '../support/interceptSend.js';

const { client, createTestEventTable, createTestCountsTable } = useDynamoDB();
const ordersStore = makeOrdersStore();
const OLD_DAY = '2020-01-01';

const counters = [
  ...exampleCounters,
  // The distinct quantities ordered per country: one targetRef per quantity, shared by orders.
  counter({
    name: 'quantitiesByCountry',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (event) => event.payload.country,
    targetRef: ({ event }) => `quantity ${event.payload.quantity}`,
  }),
  counter({
    name: 'ordersByDay',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: () => 'all',
    windows: ['day'],
    windowRetention: { day: 1 },
  }),
];

const projectionOn = (countsTableName: string, dynamoDBClient: DynamoDBClient = client) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [makeOrdersStore(), makeUsersStore()],
    counters,
  });

const READS = new Set(['ScanCommand', 'QueryCommand', 'GetItemCommand', 'BatchGetItemCommand']);
/** The real client, refusing every command but reads. */
const readOnlyClient = interceptSend(client, (command, send) => {
  const name = (command as object).constructor.name;
  if (!READS.has(name)) throw new Error(`verify sent ${name}`);
  return send(command);
});

const scanAll = async (tableName: string) =>
  JSON.stringify(
    (
      (await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ??
      []
    ).sort((a, b) => `${a.pk?.S}#${a.sk?.S}`.localeCompare(`${b.pk?.S}#${b.sk?.S}`)),
  );

let eventTable: string;
let countsTable: string;
let events: PushedEvent[];

beforeAll(async () => {
  eventTable = await createTestEventTable();
  countsTable = await createTestCountsTable();
  const adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: eventTable,
    dynamoDBClient: client,
  });
  const stores = { orders: makeOrdersStore(adapter), users: makeUsersStore(adapter) };
  events = await pushWorkload({
    operations: planWorkload({ events: 600, seed: 3 }),
    stores,
    concurrency: 16,
    signal: new AbortController().signal,
    onPushed: () => undefined,
  });
  // An order of a day long past ordersByDay's retention of one day.
  const { event } = await stores.orders.pushEvent({
    aggregateId: 'old-order',
    version: 1,
    type: 'ORDER_PLACED',
    payload: { customerId: 'old-customer', country: 'FR', quantity: 1 },
    timestamp: `${OLD_DAY}T12:00:00.000Z`,
  });
  events.push({ eventStoreId: 'orders', event });
  // Counted from the stream as Lambda delivers it: in batches, the first 200 twice.
  const records = eventRecords(events);
  const projection = projectionOn(countsTable);
  for (const batch of [records.slice(0, 200), records.slice(0, 200), records.slice(200)])
    expect((await projection.processRecords(batch)).batchItemFailures).toEqual([]);
  // DynamoDB's TTL deletes the bucket past its retention (DynamoDB Local does not).
  await client.send(
    new DeleteItemCommand({
      TableName: countsTable,
      Key: { pk: { S: 'W#ordersByDay#day#all' }, sk: { S: OLD_DAY } },
    }),
  );
});

describe('CounterProjection.verify', () => {
  it('finds no difference in what the projection counted (duplicate deliveries, shared targetRefs, expired buckets), reading only', async () => {
    const before = await scanAll(countsTable);
    const progress: string[] = [];
    const report = await projectionOn(countsTable, readOnlyClient).verify({
      eventTableName: eventTable,
      segments: 3,
      pageSize: 100,
      onProgress: ({ table }) => progress.push(table),
    });
    expect(report.differences).toEqual([]);
    expect(report.events).toBe(events.length);
    expect(report.expiredBuckets).toBe(1);
    expect(report.uncountable).toEqual({ count: 0, errors: [] });
    expect(new Set(progress)).toEqual(new Set(['events', 'counts']));
    const distinct = await projectionOn(countsTable).getCounts([
      { counterName: 'quantitiesByCountry', key: 'FR' },
      { counterName: 'ordersByCountry', key: 'FR' },
    ]);
    // The shared targetRefs counted each once: fewer quantities than orders.
    expect(distinct[0]).toBeLessThan(distinct[1] as number);
    expect(await scanAll(countsTable)).toBe(before);
  });

  it('reports a changed total, a changed bucket and a deleted key, each with its expected and actual count', async () => {
    const projection = projectionOn(countsTable);
    const items = await projection.getExactCount('itemsByCountry', 'FR');
    const inDE = events.find(
      ({ event }) =>
        event.type === 'ORDER_PLACED' && (event.payload as { country: string }).country === 'DE',
    );
    const hour = (inDE?.event.timestamp as string).slice(0, 13);
    const inHour = await projection.getExactCount('ordersByCountry', 'DE', {
      window: 'hour',
      bucket: hour,
    });
    const orders = await projection.getExactCount('ordersByCountry', 'US');
    expect([items, inHour, orders].every((count) => count > 0n)).toBe(true);
    await bump({ pk: 'T#itemsByCountry#FR', sk: 'total' }, 5);
    await bump({ pk: 'W#ordersByCountry#hour#DE', sk: hour }, -1);
    await client.send(
      new DeleteItemCommand({
        TableName: countsTable,
        Key: { pk: { S: 'T#ordersByCountry#US' }, sk: { S: 'total' } },
      }),
    );

    const report = await projectionOn(countsTable, readOnlyClient).verify({
      eventTableName: eventTable,
    });
    expect(report.differences).toEqual([
      {
        counterName: 'itemsByCountry',
        key: 'FR',
        expected: items,
        actual: items + 5n,
        kind: 'different',
      },
      {
        counterName: 'ordersByCountry',
        key: 'DE',
        window: 'hour',
        bucket: hour,
        expected: inHour,
        actual: inHour - 1n,
        kind: 'different',
      },
      { counterName: 'ordersByCountry', key: 'US', expected: orders, actual: 0n, kind: 'missing' },
    ]);
    const some = await projection.verify({
      eventTableName: eventTable,
      counterNames: ['itemsByCountry'],
    });
    expect(some.counters.map(({ counterName }) => counterName)).toEqual(['itemsByCountry']);
    expect(some.differences).toHaveLength(1);
  });
});

const bump = async ({ pk, sk }: { pk: string; sk: string }, by: number) =>
  client.send(
    new UpdateItemCommand({
      TableName: countsTable,
      Key: { pk: { S: pk }, sk: { S: sk } },
      UpdateExpression: 'ADD #count :by',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':by': { N: String(by) } },
    }),
  );
