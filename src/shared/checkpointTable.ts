import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import { stringKeysTableDefinition, tableCreator } from './createTableAndWait.js';

// The stream runner's checkpoint table, kept in the kernel beside the other table helpers:
// `tables create` makes it without loading the runner (and its optional streams client).

/** The CreateTable input of a checkpoint table: string keys pk/sk, on-demand billing. */
export const checkpointTableDefinition = (tableName: string): CreateTableCommandInput =>
  stringKeysTableDefinition(tableName, { partitionKey: 'pk', sortKey: 'sk' });

/** Creates the checkpoint table and waits until it is ACTIVE. */
export const createCheckpointTable = tableCreator(checkpointTableDefinition);
