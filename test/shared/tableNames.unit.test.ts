import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
import { interceptSend } from '../support/interceptSend.js';

// No server: every name below is refused before any request is sent (the client's endpoint
// is unreachable, so a request would fail with another error).
const dynamoDBClient = new DynamoDBClient({
  endpoint: 'http://127.0.0.1:9',
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const store = makeOrdersStore();
const arn = (rest: string) => `arn:aws:dynamodb:${rest}`;
const BAD_NAMES = [
  undefined,
  '',
  'ev',
  'orders events',
  'a'.repeat(256),
  'événements',
  // ARNs that are not a table's, or not well formed: each would fail at the first request.
  arn('eu-west-1:123456789012:table/orders/stream/2026-11-30T00:00:00.000'),
  arn('eu-west-1:123456789012:table/orders/index/initialEvents'),
  arn('eu-west-1:12345678901:table/orders'),
  arn(':123456789012:table/orders'),
  arn('EU-WEST-1:123456789012:table/orders'),
  arn('eu-west-1:123456789012:table/ev'),
  arn('eu-west-1:123456789012:table/'),
  arn('eu-west-1:123456789012:orders'),
  'arn:aws:s3:eu-west-1:123456789012:table/orders',
  'arn:azure:dynamodb:eu-west-1:123456789012:table/orders',
  `${arn('eu-west-1:123456789012:table/orders')}\n`,
];
// DynamoDB takes a table's ARN wherever it takes its name (a table of another account, through
// its resource-based policy): every partition's, and DynamoDB Local's.
const TABLE_ARNS = [
  arn('eu-west-1:123456789012:table/orders-events_2026.v1'),
  'arn:aws-cn:dynamodb:cn-north-1:123456789012:table/orders',
  'arn:aws-us-gov:dynamodb:us-gov-west-1:123456789012:table/orders',
  'arn:aws-iso-b:dynamodb:us-isob-east-1:123456789012:table/orders',
  arn(`ddblocal:000000000000:table/${'A'.repeat(255)}`),
];

const refusal = async (build: () => unknown) => {
  try {
    await build();
  } catch (error) {
    if (isCounterError(error, 'InvalidOption')) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('table names, checked where they are given (DynamoDB: 3 to 255 of a-z A-Z 0-9 _ - ., or a table ARN)', () => {
  it.each(BAD_NAMES.map((name) => [JSON.stringify(name ?? null).slice(-32), name]))(
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
        expect(error.message).toContain(
          "or a table's ARN (arn:aws:dynamodb:<region>:<12-digit account>:table/<name>",
        );
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

  it.each(TABLE_ARNS.map((tableArn) => [tableArn.slice(0, 40), tableArn]))(
    'takes the table ARN %s… in the adapter, the projection and the runner, given or returned by a function',
    (_, tableArn) => {
      const counters = [counter({ name: 'all', eventStore: store, key: () => 'all' })];
      const builds = [
        () => new DynamoDBSingleTableEventStorageAdapter({ tableName: tableArn, dynamoDBClient }),
        () =>
          new DynamoDBSingleTableEventStorageAdapter({
            tableName: () => tableArn,
            dynamoDBClient,
          }).groupTarget(),
        () =>
          new CounterProjection({
            dynamoDBClient,
            countsTableName: tableArn,
            sourceEventStores: [store],
            counters,
          }),
        () =>
          new StreamRunner({
            dynamoDBClient,
            streamsClient: new DynamoDBStreamsClient({}),
            tableName: tableArn,
            checkpointTableName: tableArn,
            handler: () => Promise.resolve(),
          }),
      ];
      for (const build of builds) expect(build).not.toThrow();
    },
  );

  it("checks a function's ARN when called: the projection reads with it", async () => {
    const tableArn = arn('eu-west-1:123456789012:table/my-counts');
    const tableNames: unknown[] = [];
    const projection = new CounterProjection({
      dynamoDBClient: interceptSend(dynamoDBClient, (command) => {
        tableNames.push((command as { input: { TableName?: unknown } }).input.TableName);
        return Promise.resolve({});
      }),
      countsTableName: () => tableArn,
      sourceEventStores: [store],
      counters: [counter({ name: 'all', eventStore: store, key: () => 'all' })],
    });
    expect(await projection.getCount('all', 'all')).toBe(0);
    expect(tableNames).toContain(tableArn);
  });

  it("sends CreateTable a table's ARN as given: AWS's CreateTable takes one (DynamoDB Local's does not)", async () => {
    const tableArn = arn('eu-west-1:123456789012:table/orders-events');
    const sent: unknown[] = [];
    const client = interceptSend(dynamoDBClient, (command) => {
      if (command instanceof CreateTableCommand) sent.push(command.input.TableName);
      // Stops the helper after CreateTable: what it sent is what this test looks at.
      return Promise.reject(new Error('stop here'));
    });
    for (const create of [createEventTable, createCountsTable, createCheckpointTable])
      await expect(create({ dynamoDBClient: client, tableName: tableArn })).rejects.toThrow(
        'stop here',
      );
    expect(sent).toEqual([tableArn, tableArn, tableArn]);
  });
});
