import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** Creates a table and waits until it is ACTIVE: what every create*Table helper does. */
export const createTableAndWait = async (
  dynamoDBClient: DynamoDBClient,
  definition: CreateTableCommandInput,
  maxWaitSeconds = 300,
): Promise<void> => {
  await dynamoDBClient.send(new CreateTableCommand(definition));
  await waitUntilTableExists(
    { client: dynamoDBClient, maxWaitTime: maxWaitSeconds },
    { TableName: definition.TableName },
  );
};

export interface CreateTableOptions {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  /** How long to wait for the table to be ACTIVE. Default 300. */
  maxWaitSeconds?: number;
}

/** A create*Table helper for a definition: every table of the library is created the same way. */
export const tableCreator =
  (definitionOf: (tableName: string) => CreateTableCommandInput) =>
  ({ dynamoDBClient, tableName, maxWaitSeconds = 300 }: CreateTableOptions): Promise<void> =>
    createTableAndWait(dynamoDBClient, definitionOf(tableName), maxWaitSeconds);

/** A table keyed by two strings, billed on demand: the counts table's and the checkpoints' layout. */
export const stringKeysTableDefinition = (
  tableName: string,
  { partitionKey, sortKey }: { partitionKey: string; sortKey: string },
): CreateTableCommandInput => ({
  TableName: tableName,
  AttributeDefinitions: [
    { AttributeName: partitionKey, AttributeType: 'S' },
    { AttributeName: sortKey, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: partitionKey, KeyType: 'HASH' },
    { AttributeName: sortKey, KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
});
