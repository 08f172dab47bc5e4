import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventTable } from '../../src/adapter/index.js';
import { createCountsTable } from '../../src/counterProjection/index.js';
import { deleteTable, makeDynamoDBClient, uniqueTableName } from '../support/dynamoDB.js';

let dynamoDBClient: DynamoDBClient;
const made: string[] = [];
beforeAll(() => {
  dynamoDBClient = makeDynamoDBClient();
});
afterAll(async () => {
  for (const name of made) await deleteTable(dynamoDBClient, name);
  dynamoDBClient.destroy();
});
const newName = (purpose: string) => {
  const name = uniqueTableName(purpose);
  made.push(name);
  return name;
};

describe('creating the tables again', () => {
  it('accepts a correct existing table with ifExists verify, and says it found it', async () => {
    const tableName = newName('events');
    expect(await createEventTable({ dynamoDBClient, tableName, ifExists: 'verify' })).toBe(
      'created',
    );
    expect(await createEventTable({ dynamoDBClient, tableName, ifExists: 'verify' })).toBe('found');
    const counts = newName('counts');
    await createCountsTable({ dynamoDBClient, tableName: counts });
    expect(await createCountsTable({ dynamoDBClient, tableName: counts, ifExists: 'verify' })).toBe(
      'found',
    );
  });

  it('lets DynamoDB refuse an existing table by default, as before', async () => {
    const tableName = newName('events');
    await createEventTable({ dynamoDBClient, tableName });
    await expect(createEventTable({ dynamoDBClient, tableName })).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
  });

  it('refuses an existing table of another layout, naming each difference, and changes nothing', async () => {
    const tableName = newName('counts-not-events');
    await createCountsTable({ dynamoDBClient, tableName });
    const before = await dynamoDBClient.send(new DescribeTableCommand({ TableName: tableName }));
    const error = await createEventTable({ dynamoDBClient, tableName, ifExists: 'verify' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'TableMismatch',
      tableName,
      differences: [
        'its keys are pk (S, HASH), sk (S, RANGE), not aggregateId (S, HASH), version (N, RANGE)',
        'it has no index initialEvents',
        'its stream is off, not NEW_IMAGE (or NEW_AND_OLD_IMAGES)',
      ],
    });
    const after = await dynamoDBClient.send(new DescribeTableCommand({ TableName: tableName }));
    expect(after.Table?.KeySchema).toEqual(before.Table?.KeySchema);
  });
});
