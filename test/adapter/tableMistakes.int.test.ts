import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { EventStore } from '@castore/core';
import { describe, expect, it } from 'vitest';

import {
  DynamoDBSingleTableEventStorageAdapter,
  eventTableDefinition,
} from '../../src/adapter/index.js';
import { isCounterError } from '../../src/shared/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';

// What application code meets with a table that is not there or not as Castore needs it.
const { client: dynamoDBClient, uniqueTableName } = useDynamoDB();

const event = { aggregateId: 'a1', version: 1, type: 'T', timestamp: '2024-01-01T00:00:00.000Z' };

describe('the adapter given a wrong table', () => {
  it('refuses a table name that is undefined or empty when built, naming the option (an unset environment variable)', () => {
    for (const tableName of [undefined, '']) {
      let thrown: unknown;
      try {
        new DynamoDBSingleTableEventStorageAdapter({
          tableName: tableName as unknown as string,
          dynamoDBClient,
        });
      } catch (error) {
        thrown = error;
      }
      expect(isCounterError(thrown, 'InvalidOption')).toBe(true);
      expect(thrown).toMatchObject({ option: 'tableName', value: tableName });
      expect((thrown as Error).message).toMatch(/environment variable/);
    }
    const late = new DynamoDBSingleTableEventStorageAdapter({
      tableName: () => process.env.UNSET_TABLE_NAME_FOR_THIS_TEST as string,
      dynamoDBClient,
    });
    expect(() => late.getTableName()).toThrow(/Invalid option tableName\(\): undefined/);
  });

  it('names the table that does not exist, whatever the call', async () => {
    const tableName = uniqueTableName('never-created');
    const adapter = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient });
    const store = new EventStore({
      eventStoreId: 'orders',
      eventTypes: [],
      reducer: (aggregate) => aggregate,
      eventStorageAdapter: adapter,
    });
    const calls = [
      () => adapter.pushEvent(event, { eventStoreId: 'orders' }),
      () => adapter.getEvents('a1', { eventStoreId: 'orders' }),
      () => adapter.listAggregateIds({ eventStoreId: 'orders' }),
      () =>
        EventStore.pushEventGroup(
          store.groupEvent({ ...event, aggregateId: 'g1' } as never),
          store.groupEvent({ ...event, aggregateId: 'g2' } as never),
        ),
      () => store.getAggregate('a1'),
    ];
    for (const call of calls) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'TableNotFound', tableName });
      expect((error as Error).message).toContain(`Table "${tableName}" was not found`);
    }
  });

  it("explains a table with the reference's legacy isInitialEvent index when aggregates are listed", async () => {
    const tableName = uniqueTableName('legacy-index');
    await dynamoDBClient.send(
      new CreateTableCommand({
        ...eventTableDefinition(tableName),
        AttributeDefinitions: [
          { AttributeName: 'aggregateId', AttributeType: 'S' },
          { AttributeName: 'version', AttributeType: 'N' },
          { AttributeName: 'isInitialEvent', AttributeType: 'N' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'isInitialEvent',
            KeySchema: [
              { AttributeName: 'isInitialEvent', KeyType: 'HASH' },
              { AttributeName: 'aggregateId', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
    const adapter = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient });
    const error = await adapter
      .listAggregateIds({ eventStoreId: 'orders' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TableMismatch', tableName });
    expect((error as Error).message).toMatch(
      /initialEvents index is missing or keyed otherwise[\s\S]*ifExists: 'verify'[\s\S]*add the index initialEvents in place/,
    );
  });
});
