import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';

import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, inject } from 'vitest';

import { createEventTable } from '../../src/adapter/index.js';
import { createCountsTable } from '../../src/counterProjection/index.js';
import { createCheckpointTable, isAwsError } from '../../src/shared/index.js';

/**
 * This worker's DynamoDB Local (dynamoDBLocal.globalSetup.ts starts one per worker): the
 * endpoint a test file's clients, CLI processes and child tasks all use.
 */
export const dynamoDBEndpoint = (): string => {
  const endpoints = inject('dynamoDBEndpoints');
  const worker = Number(process.env.VITEST_POOL_ID ?? '1');
  const endpoint = endpoints[(worker - 1) % endpoints.length];
  if (endpoint === undefined) throw new Error(`no DynamoDB Local for worker ${worker}`);
  return endpoint;
};

const clientConfig = () => ({
  endpoint: dynamoDBEndpoint(),
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

/** What a test file gets from useDynamoDB(). */
export interface DynamoDBFixture {
  client: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
  /** A unique name for a table of this file, dropped after its tests (whether or not it was created). */
  uniqueTableName: (purpose: string) => string;
  /** A new event table of this file (Castore's layout, with its stream). */
  createTestEventTable: (purpose?: string) => Promise<string>;
  /** A new counts table of this file; `stream` for reactions. */
  createTestCountsTable: (options?: { purpose?: string; stream?: boolean }) => Promise<string>;
  /** A new checkpoint table of this file (the stream runner's; shard deliveries claim in it). */
  createTestCheckpointTable: (purpose?: string) => Promise<string>;
}

/**
 * A test file's DynamoDB Local clients and tables: call it once at the top of the file.
 * After the file's tests, the tables named through it are dropped and the clients
 * destroyed, so that a long run does not pile tables up on the shared server.
 */
export const useDynamoDB = (): DynamoDBFixture => {
  const client = makeDynamoDBClient();
  const streamsClient = makeStreamsClient();
  const tables: string[] = [];
  const tableName = (purpose: string) => {
    const name = uniqueTableName(purpose);
    tables.push(name);
    return name;
  };
  afterAll(async () => {
    await Promise.all(tables.map((name) => dropTable(client, name)));
    client.destroy();
    streamsClient.destroy();
  });
  return {
    client,
    streamsClient,
    uniqueTableName: tableName,
    createTestEventTable: async (purpose = 'events') => {
      const name = tableName(purpose);
      await createEventTable({ dynamoDBClient: client, tableName: name });
      return name;
    },
    createTestCountsTable: async ({ purpose = 'counts', stream = false } = {}) => {
      const name = tableName(purpose);
      await createCountsTable({ dynamoDBClient: client, tableName: name, stream });
      return name;
    },
    createTestCheckpointTable: async (purpose = 'checkpoints') => {
      const name = tableName(purpose);
      await createCheckpointTable({ dynamoDBClient: client, tableName: name });
      return name;
    },
  };
};

/** Drops a table, if it is there: a name may have been given and never created. */
const dropTable = async (client: DynamoDBClient, name: string) => {
  try {
    await deleteTable(client, name);
  } catch (error) {
    if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
  }
};
