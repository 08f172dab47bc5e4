import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createEventTable } from '../../adapter/index.js';
import { createCountsTable } from '../../counterProjection/index.js';
// The checkpoint table from the kernel, not the runner's entry: that loads
// @aws-sdk/client-dynamodb-streams, which tables create does not need.
import { createCheckpointTable, type CreateTableOptions } from '../../shared/index.js';

/** The tables to create: those named, each alone (a fresh counts table needs only its name). */
export interface TableNames {
  eventTable?: string;
  countsTable?: string;
  checkpointTable?: string;
  /** The counts table gets the stream reactions read. */
  reactions?: boolean;
}

/**
 * Creates what is missing and checks what exists (keys, index, stream), so that running
 * it again is safe; resolves to a line per table saying which it was.
 */
export const createTables = async (
  dynamoDBClient: DynamoDBClient,
  names: TableNames,
): Promise<string[]> => {
  // What `ifExists: 'verify'` checks of each: what the library relies on, nothing more.
  const tables = [
    {
      create: createEventTable,
      tableName: names.eventTable,
      role: 'events, with its stream',
      checked: 'keys, index and stream',
    },
    names.reactions === true
      ? {
          create: (options: CreateTableOptions) => createCountsTable({ ...options, stream: true }),
          tableName: names.countsTable,
          role: 'counts, with its stream for reactions',
          checked: 'keys and stream',
        }
      : {
          create: createCountsTable,
          tableName: names.countsTable,
          role: 'counts',
          checked: 'keys',
        },
    {
      create: createCheckpointTable,
      tableName: names.checkpointTable,
      role: 'checkpoints',
      checked: 'keys',
    },
  ];
  const lines: string[] = [];
  for (const { create, tableName, role, checked } of tables) {
    if (tableName === undefined) continue;
    const outcome = await create({ dynamoDBClient, tableName, ifExists: 'verify' });
    lines.push(
      outcome === 'created'
        ? `Created ${tableName} (${role}).`
        : `Found ${tableName} (${role}), with the ${checked} it needs.`,
    );
  }
  return lines;
};
