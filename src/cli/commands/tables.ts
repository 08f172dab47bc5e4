import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createEventTable } from '../../adapter/index.js';
import { createCountsTable } from '../../counterProjection/index.js';
// Not the runner's index: that loads @aws-sdk/client-dynamodb-streams, which tables create does not need.
import { createCheckpointTable } from '../../streamRunner/checkpointStore.js';
import { type ConnectionOptions, withConnection } from '../connection.js';

export interface TableNames {
  eventTable: string;
  countsTable: string;
  checkpointTable: string;
}

export const createTables = async (
  dynamoDBClient: DynamoDBClient,
  names: TableNames,
): Promise<void> => {
  await createEventTable({ dynamoDBClient, tableName: names.eventTable });
  await createCountsTable({ dynamoDBClient, tableName: names.countsTable });
  await createCheckpointTable({ dynamoDBClient, tableName: names.checkpointTable });
};

/** `tables create`: the event table, the counts table and the runner's checkpoint table. */
export const tablesCreateCommand = async (
  options: TableNames & ConnectionOptions,
): Promise<void> => {
  await withConnection(options, async ({ dynamoDBClient }) => {
    await createTables(dynamoDBClient, options);
    console.log(
      `Created ${options.eventTable} (events, with its stream), ${options.countsTable} (counts) and ${options.checkpointTable} (checkpoints).`,
    );
  });
};
