import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';

import { createEventTable, eventTableDefinition } from '../../src/adapter/index.js';
import { createCountsTable } from '../../src/counterProjection/index.js';
import { deleteTable, useDynamoDB } from '../support/dynamoDB.js';

const { client: dynamoDBClient, uniqueTableName } = useDynamoDB();
const made: string[] = [];
afterAll(async () => {
  for (const name of made) await deleteTable(dynamoDBClient, name);
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
    expect((error as Error).message).toMatch(
      /keys cannot change: give the library another table name/,
    );
    expect((error as Error).message).not.toMatch(/delete/i);
  });

  it('says how to enable a missing stream in place, never to delete the table, and the advice works', async () => {
    const tableName = newName('events-no-stream');
    const { StreamSpecification: _stream, ...withoutStream } = eventTableDefinition(tableName);
    await dynamoDBClient.send(new CreateTableCommand(withoutStream));
    const error = await createEventTable({ dynamoDBClient, tableName, ifExists: 'verify' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'TableMismatch',
      differences: ['its stream is off, not NEW_IMAGE (or NEW_AND_OLD_IMAGES)'],
      fixes: [
        `enable its stream in place, with no data lost: aws dynamodb update-table --table-name ${tableName} --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE`,
      ],
    });
    expect((error as Error).message).not.toMatch(/delete/i);
    // What the advice says, done through the SDK: the table is then accepted.
    await dynamoDBClient.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    expect(await createEventTable({ dynamoDBClient, tableName, ifExists: 'verify' })).toBe('found');
  });

  it("says how to add Castore's initialEvents index to a table that has the legacy isInitialEvent one", async () => {
    const tableName = newName('events-legacy-index');
    const definition = eventTableDefinition(tableName);
    // The reference adapter's legacy layout: isInitialEvent (N) and aggregateId.
    const legacy = {
      ...definition,
      AttributeDefinitions: [
        { AttributeName: 'aggregateId', AttributeType: 'S' as const },
        { AttributeName: 'version', AttributeType: 'N' as const },
        { AttributeName: 'isInitialEvent', AttributeType: 'N' as const },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'isInitialEvent',
          KeySchema: [
            { AttributeName: 'isInitialEvent', KeyType: 'HASH' as const },
            { AttributeName: 'aggregateId', KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' as const },
        },
      ],
    };
    await dynamoDBClient.send(new CreateTableCommand(legacy));
    const error = await createEventTable({ dynamoDBClient, tableName, ifExists: 'verify' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'TableMismatch',
      differences: ['it has no index initialEvents'],
      fixes: [expect.stringMatching(/^add the index initialEvents in place \(UpdateTable/)],
    });
    expect((error as Error).message).not.toMatch(/delete the table/i);
  });
});
