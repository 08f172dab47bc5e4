import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import {
  type CreateTableOptions,
  stringKeysTableDefinition,
  tableCreator,
} from '../shared/index.js';
import { COUNTS_TABLE_PK, COUNTS_TABLE_SK } from './countsItems/index.js';

/**
 * The CreateTable input of a counts table: string keys pk/sk, on-demand billing; with
 * `stream`, the NEW_AND_OLD_IMAGES stream that CounterReactions read (old and new count).
 */
export const countsTableDefinition = (
  tableName: string,
  { stream = false }: { stream?: boolean | undefined } = {},
): CreateTableCommandInput => ({
  ...stringKeysTableDefinition(tableName, {
    partitionKey: COUNTS_TABLE_PK,
    sortKey: COUNTS_TABLE_SK,
  }),
  ...(stream
    ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }
    : {}),
});

/** Creates the counts table (with its stream for reactions when `stream`) and waits until it is ACTIVE. */
export const createCountsTable = ({
  stream,
  ...options
}: CreateTableOptions & { stream?: boolean | undefined }): Promise<'created' | 'found'> =>
  tableCreator((tableName) => countsTableDefinition(tableName, { stream }))(options);
