import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createEventTable } from '../../adapter/index.js';
import { createCountsTable } from '../../counterProjection/index.js';
// The checkpoint table from the kernel, not the runner's entry: that loads
// @aws-sdk/client-dynamodb-streams, which tables create does not need.
import {
  CounterError,
  createCheckpointTable,
  type CreateTableOptions,
} from '../../shared/index.js';
import { type ConnectionOptions, withConnection } from '../connection.js';
import { out } from '../io.js';

/** The tables to create: those named, each alone (a fresh counts table needs only its name). */
export interface TableNames {
  eventTable?: string;
  countsTable?: string;
  checkpointTable?: string;
  /** The counts table gets the stream reactions read. */
  reactions?: boolean;
}

/** Refuses a call that names no table, or --reactions without the counts table it is for. */
const assertSomethingToCreate = (names: TableNames) => {
  const given = [names.eventTable, names.countsTable, names.checkpointTable];
  if (given.every((name) => name === undefined))
    throw new CounterError('CliUsage', {
      explanation:
        'tables create needs at least one of --event-table, --counts-table and --checkpoint-table: it creates the tables it is given.',
    });
  if (names.reactions === true && names.countsTable === undefined)
    throw new CounterError('CliUsage', {
      explanation: '--reactions gives the counts table its stream: pass --counts-table with it.',
    });
};

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

/** `tables create`: the tables named (the event table, the counts table, the runner's checkpoint table). */
export const tablesCreateCommand = async (
  options: TableNames & ConnectionOptions,
): Promise<void> => {
  assertSomethingToCreate(options);
  await withConnection(options, async ({ dynamoDBClient }) => {
    for (const line of await createTables(dynamoDBClient, options)) out(line);
  });
};
