import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { CounterError, isAwsError, isTransientError, withRetry } from '../../shared/index.js';

// The table options of the commands, and the flag that gives each.
const TABLE_FLAGS = {
  eventTable: '--event-table',
  countsTable: '--counts-table',
  checkpointTable: '--checkpoint-table',
  reactionsTable: '--reactions-table',
} as const;

/**
 * Checks at start that every table a command was given exists, and names the missing ones
 * with their flag: a wrong name must not become an error repeated at every batch. With
 * `rideOutOutages` (run, which rides out a DynamoDB restart at start as later), an
 * unreachable DynamoDB is waited for, as the runner would; otherwise it fails the command.
 */
export const assertTablesExist = async (
  dynamoDBClient: DynamoDBClient,
  options: Partial<Record<keyof typeof TABLE_FLAGS, unknown>>,
  { rideOutOutages = false }: { rideOutOutages?: boolean } = {},
): Promise<void> => {
  const given = Object.entries(TABLE_FLAGS).flatMap(([option, flag]) => {
    const tableName = options[option as keyof typeof TABLE_FLAGS];
    return typeof tableName === 'string' ? [{ tableName, flag }] : [];
  });
  const missing: string[] = [];
  for (const { tableName, flag } of given) {
    try {
      await withRetry(
        () => dynamoDBClient.send(new DescribeTableCommand({ TableName: tableName })),
        {
          maxAttempts: rideOutOutages ? Infinity : 1,
          isRetryable: isTransientError,
          baseDelayMs: 100,
          maxDelayMs: 5_000,
        },
      );
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
      missing.push(`${tableName} (${flag})`);
    }
  }
  if (missing.length > 0)
    throw new CounterError('CliUsage', {
      explanation: `${missing.length === 1 ? 'Table' : 'Tables'} ${missing.join(', ')} not found: check the ${missing.length === 1 ? 'name' : 'names'} and the region or --endpoint, or create the tables with \`castore-dynamodb-counter tables create\`.`,
    });
};
