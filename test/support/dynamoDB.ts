import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';

import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { inject } from 'vitest';

import { createEventTable } from '../../src/adapter/index.js';

const clientConfig = () => ({
  endpoint: inject('dynamoDBEndpoint'),
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  // The default agent allows 50 sockets; concurrency tests go beyond.
  requestHandler: new NodeHttpHandler({
    httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }),
  }),
});

export const makeDynamoDBClient = (): DynamoDBClient => new DynamoDBClient(clientConfig());

export const makeStreamsClient = (): DynamoDBStreamsClient =>
  new DynamoDBStreamsClient(clientConfig());

/** A table name no other test file (or earlier run against a shared server) uses. */
export const uniqueTableName = (purpose: string): string =>
  `${purpose}-${randomUUID().slice(0, 8)}`;

export const createTestEventTable = async (
  client: DynamoDBClient,
  purpose = 'events',
): Promise<string> => {
  const tableName = uniqueTableName(purpose);
  await createEventTable({ dynamoDBClient: client, tableName });
  return tableName;
};

export const deleteTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
};
