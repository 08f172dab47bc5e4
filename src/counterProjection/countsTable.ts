import { type CreateTableCommandInput, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';

import {
  type CreateTableOptions,
  stringKeysTableDefinition,
  tableCreator,
} from '../shared/index.js';
import { COUNTS_ATTRIBUTES, COUNTS_TABLE_PK, COUNTS_TABLE_SK } from './countsItems/index.js';

/** The counts table's TTL attribute (epoch seconds). */
export const COUNTS_TTL_ATTRIBUTE = COUNTS_ATTRIBUTES.expiresAt;

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

/**
 * Creates the counts table (with its stream for reactions when `stream`), waits until it is
 * ACTIVE, and turns on its TTL (attribute `expiresAt`: window buckets past their retention,
 * old shard watermarks). A table found is left as it is (see docs/counters.md to turn TTL on).
 */
export const createCountsTable = async ({
  stream,
  ...options
}: CreateTableOptions & { stream?: boolean | undefined }): Promise<'created' | 'found'> => {
  const outcome = await tableCreator((tableName) => countsTableDefinition(tableName, { stream }))(
    options,
  );
  if (outcome === 'created')
    await options.dynamoDBClient.send(
      new UpdateTimeToLiveCommand({
        TableName: options.tableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: COUNTS_TTL_ATTRIBUTE },
      }),
    );
  return outcome;
};
