import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';

import {
  createEventTable,
  DynamoDBSingleTableEventStorageAdapter,
} from '../../src/adapter/index.js';
import {
  counter,
  CounterProjection,
  createCountsTable,
} from '../../src/counterProjection/index.js';
import { isCounterError } from '../../src/shared/index.js';
import { createCheckpointTable, StreamRunner } from '../../src/streamRunner/index.js';
import { makeOrdersStore } from '../support/eventStores.js';

// No server: every name below is refused before any request is sent (the client's endpoint
// is unreachable, so a request would fail with another error).
const dynamoDBClient = new DynamoDBClient({
  endpoint: 'http://127.0.0.1:9',
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const store = makeOrdersStore();
const BAD_NAMES = [undefined, '', 'ev', 'orders events', 'a'.repeat(256), 'événements'];

const refusal = async (build: () => unknown) => {
  try {
    await build();
  } catch (error) {
    if (isCounterError(error, 'InvalidOption')) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('table names, checked where they are given (DynamoDB: 3 to 255 of a-z A-Z 0-9 _ - .)', () => {
  it.each(BAD_NAMES.map((name) => [String(name).slice(0, 20), name]))(
    'refuses %s in the adapter, the projection, the runner and the table helpers, naming the option',
    async (_, name) => {
      const cases: [string, () => unknown][] = [
        [
          'tableName',
          () =>
            new DynamoDBSingleTableEventStorageAdapter({
              tableName: name as string,
              dynamoDBClient,
            }),
        ],
        [
          'countsTableName',
          () =>
            new CounterProjection({
              dynamoDBClient,
              countsTableName: name as string,
              sourceEventStores: [store],
              counters: [counter({ name: 'all', eventStore: store, key: () => 'all' })],
            }),
        ],
        [
          'checkpointTableName',
          () =>
            new StreamRunner({
              dynamoDBClient,
              streamsClient: new DynamoDBStreamsClient({}),
              tableName: 'events',
              checkpointTableName: name as string,
              handler: () => Promise.resolve(),
            }),
        ],
        ['tableName', () => createEventTable({ dynamoDBClient, tableName: name as string })],
        ['tableName', () => createCountsTable({ dynamoDBClient, tableName: name as string })],
        ['tableName', () => createCheckpointTable({ dynamoDBClient, tableName: name as string })],
      ];
      for (const [option, build] of cases) {
        const error = await refusal(build);
        expect(error).toMatchObject({ option, value: name });
        expect(error.message).toContain("3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'");
      }
    },
  );

  it('checks a name given as a function when it is called: the projection on its first use', async () => {
    const projection = new CounterProjection({
      dynamoDBClient,
      countsTableName: () => process.env.UNSET_COUNTS_TABLE_FOR_THIS_TEST as string,
      sourceEventStores: [store],
      counters: [counter({ name: 'all', eventStore: store, key: () => 'all' })],
    });
    const error = await refusal(() => projection.getCount('all', 'all'));
    expect(error).toMatchObject({ option: 'countsTableName()', value: undefined });
    expect(error.message).toMatch(/environment variable/);
  });

  it('takes every name DynamoDB takes', () => {
    for (const tableName of ['abc', 'orders-events_2026.v1', 'A'.repeat(255)])
      expect(
        () => new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient }),
      ).not.toThrow();
  });
});
