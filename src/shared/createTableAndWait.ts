import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

import { isAwsError } from './awsErrors.js';
import { tableNameOption } from './options.js';
import { verifyTable } from './verifyTable.js';

export interface CreateTableOptions {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  /** How long to wait for the table to be ACTIVE. Default 300. */
  maxWaitSeconds?: number;
  /**
   * When a table of that name exists: `'fail'` (the default) lets DynamoDB's
   * ResourceInUseException through; `'verify'` accepts it if its keys, indexes and stream
   * are the ones the library needs, and throws TableMismatchError if not.
   */
  ifExists?: 'fail' | 'verify';
}

/**
 * Creates a table and waits until it is ACTIVE, or with ifExists 'verify' accepts a
 * correct existing one; resolves to which it was, so that a caller can say.
 */
export const createTableAndWait = async (
  definition: CreateTableCommandInput,
  {
    dynamoDBClient,
    maxWaitSeconds = 300,
    ifExists = 'fail',
  }: Omit<CreateTableOptions, 'tableName'>,
): Promise<'created' | 'found'> => {
  let outcome: 'created' | 'found' = 'created';
  try {
    await dynamoDBClient.send(new CreateTableCommand(definition));
  } catch (error) {
    if (ifExists === 'fail' || !isAwsError(error, 'ResourceInUseException')) throw error;
    outcome = 'found';
  }
  // A table found may still be CREATING (another run's): wait for it as for ours.
  await waitUntilTableExists(
    { client: dynamoDBClient, maxWaitTime: maxWaitSeconds },
    { TableName: definition.TableName },
  );
  if (outcome === 'found') await verifyTable(dynamoDBClient, definition);
  return outcome;
};

/**
 * A create*Table helper for a definition: every table of the library is created the same way.
 * The name may be a table's ARN: AWS's CreateTable takes one (DynamoDB Local's does not).
 */
export const tableCreator =
  (definitionOf: (tableName: string) => CreateTableCommandInput) =>
  ({ tableName, ...options }: CreateTableOptions): Promise<'created' | 'found'> =>
    createTableAndWait(definitionOf(tableNameOption('tableName', tableName)), options);

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
