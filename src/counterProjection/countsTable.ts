import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createTableAndWait } from '../shared/createTableAndWait.js';
import type { CounterWindow } from './windows.js';

export const COUNTS_TABLE_PK = 'pk';
export const COUNTS_TABLE_SK = 'sk';

/*
 * The counts table's items. Counter names contain no '#' and the key comes last, so every
 * partition key below is injective. Each counter's total, each window of it, and each
 * shard of its refs live in partitions of their own, so that a hot counter spreads its
 * writes instead of queueing them on one partition.
 *   total   pk T#<counter>#<key>              sk "total"    count, refShards
 *   window  pk W#<counter>#<window>#<key>     sk <bucket>   count
 *   ref     pk R#<counter>#<shard>#<key>      sk <targetRef> by, at
 */
export const totalKey = (counterName: string, key: string) => ({ pk: `T#${counterName}#${key}`, sk: 'total' });

export const windowKey = (counterName: string, window: CounterWindow, key: string, bucket: string) => ({
  pk: `W#${counterName}#${window}#${key}`,
  sk: bucket,
});

export const refKey = (counterName: string, shard: number, key: string, targetRef: string) => ({
  pk: `R#${counterName}#${shard}#${key}`,
  sk: targetRef,
});

/** The CreateTable input of a counts table: string keys pk/sk, on-demand billing. */
export const countsTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  AttributeDefinitions: [
    { AttributeName: COUNTS_TABLE_PK, AttributeType: 'S' },
    { AttributeName: COUNTS_TABLE_SK, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: COUNTS_TABLE_PK, KeyType: 'HASH' },
    { AttributeName: COUNTS_TABLE_SK, KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
});

/** Creates the counts table and waits until it is ACTIVE. */
export const createCountsTable = async ({
  dynamoDBClient,
  tableName,
  maxWaitSeconds = 300,
}: {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  maxWaitSeconds?: number;
}): Promise<void> => {
  await createTableAndWait(dynamoDBClient, countsTableDefinition(tableName), maxWaitSeconds);
};
