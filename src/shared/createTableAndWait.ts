import { CreateTableCommand, waitUntilTableExists, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Creates a table and waits until it is ACTIVE: what every create*Table helper does. */
export const createTableAndWait = async (
  dynamoDBClient: DynamoDBClient,
  definition: CreateTableCommandInput,
  maxWaitSeconds = 300,
): Promise<void> => {
  await dynamoDBClient.send(new CreateTableCommand(definition));
  await waitUntilTableExists({ client: dynamoDBClient, maxWaitTime: maxWaitSeconds }, { TableName: definition.TableName });
};
