import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { createCheckpointTable, StreamRunner } from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';

const { client, streamsClient, uniqueTableName, createTestEventTable, createTestCountsTable } =
  useDynamoDB();

/** The table's ARN as DynamoDB Local gives it: arn:aws:dynamodb:ddblocal:000000000000:table/<name>. */
const tableArnOf = async (tableName: string): Promise<string> => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  expect(Table?.TableArn).toBe(`arn:aws:dynamodb:ddblocal:000000000000:table/${tableName}`);
  return Table?.TableArn as string;
};

// DynamoDB Local takes a table's ARN in PutItem, GetItem, UpdateItem, Query, BatchGetItem and
// DescribeTable, but not in TransactWriteItems (ResourceNotFoundException) nor CreateTable
// (ValidationException), which AWS documents as taking one: the projection's counting (its
// transactions), pushEventGroup and create*Table with an ARN are checked at the option only
// (tableNames.unit.test.ts).
describe("a table's ARN where its name is taken (DynamoDB Local's tables)", () => {
  it('the adapter pushes and reads events, the runner reads the stream and checkpoints, the projection reads counts', async () => {
    const eventTable = await createTestEventTable();
    const countsTable = await createTestCountsTable();
    const checkpointTable = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTable });
    const [eventTableArn, countsTableArn, checkpointTableArn] = await Promise.all(
      [eventTable, countsTable, checkpointTable].map(tableArnOf),
    );

    const store = makeOrdersStore(
      new DynamoDBSingleTableEventStorageAdapter({
        tableName: eventTableArn as string,
        dynamoDBClient: client,
      }),
    );
    for (const [aggregateId, country] of [
      ['o1', 'FR'],
      ['o2', 'FR'],
      ['o3', 'DE'],
    ] as const)
      await store.pushEvent({
        aggregateId,
        version: 1,
        type: 'ORDER_PLACED',
        payload: { customerId: 'c', country, quantity: 1 },
      });
    expect((await store.getEvents('o1')).events).toHaveLength(1);
    expect((await store.listAggregateIds()).aggregateIds).toHaveLength(3);

    const counters = [
      counter({
        name: 'byCountry',
        eventStore: store,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
      }),
    ];
    // Counting by name: DynamoDB Local refuses an ARN in TransactWriteItems.
    const counting = new CounterProjection({
      dynamoDBClient: client,
      countsTableName: countsTable,
      sourceEventStores: [store],
      counters,
    });
    const runner = (tableName: string, checkpointTableName: string) =>
      new StreamRunner({
        dynamoDBClient: client,
        streamsClient,
        tableName,
        checkpointTableName,
        handler: (records, batch) => counting.processRecords(records, batch),
        pollIntervalMs: 10,
        stopOnSignals: false,
      });
    const first = await runner(eventTableArn as string, checkpointTableArn as string).run({
      untilCaughtUp: true,
    });
    expect(first).toMatchObject({ read: 3, committed: 3 });
    // Its checkpoints are the ones a runner given the names finds: it resumes after them.
    const again = await runner(eventTable, checkpointTable).run({ untilCaughtUp: true });
    expect(again).toMatchObject({ read: 0, committed: 0 });

    const reading = new CounterProjection({
      dynamoDBClient: client,
      countsTableName: () => countsTableArn as string,
      sourceEventStores: [store],
      counters,
    });
    expect(await reading.getCount('byCountry', 'FR')).toBe(2);
    expect(
      await reading.getCounts([
        { counterName: 'byCountry', key: 'FR' },
        { counterName: 'byCountry', key: 'DE' },
      ]),
    ).toEqual([2, 1]);
  });
});
