import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB Local keeps every table in memory and slows down as they pile up: each
 * benchmark and chaos scenario deletes what it made, so that the next ones run on the same
 * server state.
 */
export const dropTables = async (client: DynamoDBClient, tableNames: string[]): Promise<void> => {
  await Promise.all(
    tableNames.map((TableName) =>
      client.send(new DeleteTableCommand({ TableName })).catch(() => undefined),
    ),
  );
};
