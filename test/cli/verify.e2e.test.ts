import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { CounterProjection } from '../../src/counterProjection/index.js';
import {
  counters,
  makeOrdersStore,
  makeUsersStore,
  planWorkload,
  pushWorkload,
} from '../../src/example/index.js';
import { runCli } from '../support/cli.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';

const { client, createTestEventTable, createTestCountsTable } = useDynamoDB();
let eventTable: string;
let countsTable: string;

beforeAll(async () => {
  eventTable = await createTestEventTable();
  countsTable = await createTestCountsTable();
  const adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: eventTable,
    dynamoDBClient: client,
  });
  await pushWorkload({
    operations: planWorkload({ events: 300, seed: 5 }),
    stores: { orders: makeOrdersStore(adapter), users: makeUsersStore(adapter) },
    concurrency: 16,
    signal: new AbortController().signal,
    onPushed: () => undefined,
  });
  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName: countsTable,
    sourceEventStores: [makeOrdersStore(), makeUsersStore()],
    counters,
  });
  await projection.rebuild({ eventTableName: eventTable });
});

const verify = () =>
  runCli([
    'verify',
    '--counters',
    'src/example/counters.ts',
    '--event-table',
    eventTable,
    '--counts-table',
    countsTable,
    '--segments',
    '2',
    '--endpoint',
    dynamoDBEndpoint(),
  ]);

describe('verify', () => {
  it('exits 0 when every count is what the events count, 2 with the differences printed when not', async () => {
    const clean = await verify();
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/Recounted 5 counters from 300 events of the event table/);
    expect(clean.stdout).toContain('No differences');
    expect(clean.stderr).toMatch(/verify: \d+ items? read of the events table/);
    expect(clean.stderr).toMatch(/verify: \d+ items? read of the counts table/);

    await client.send(
      new UpdateItemCommand({
        TableName: countsTable,
        Key: { pk: { S: 'T#itemsByCountry#FR' }, sk: { S: 'total' } },
        UpdateExpression: 'ADD #count :by',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':by': { N: '7' } },
      }),
    );
    const tampered = await verify();
    expect(tampered.code).toBe(2);
    expect(tampered.stdout).toMatch(
      /itemsByCountry\s*│\s*FR\s*│\s*\(total\)\s*│\s*│\s*(\d+)\s*│\s*\d+\s*│\s*different/,
    );
    const [, expected, actual] =
      /itemsByCountry\s*│\s*FR\s*│\s*\(total\)\s*│\s*│\s*(\d+)\s*│\s*(\d+)/.exec(tampered.stdout) ??
      [];
    expect(Number(actual) - Number(expected)).toBe(7);
    expect(tampered.stdout).toContain('1 difference:');
  });
});
