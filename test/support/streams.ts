import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record as StreamsApiRecord,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';

/**
 * Reads every record a table's stream holds now, through the Streams API (tests only:
 * DynamoDB Local has one shard per table and records are readable once a write returns).
 */
export const readStream = async ({
  dynamoDBClient,
  streamsClient,
  tableName,
}: {
  dynamoDBClient: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
  tableName: string;
}): Promise<StreamsApiRecord[]> => {
  const { Table } = await dynamoDBClient.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (streamArn === undefined) throw new Error(`${tableName} has no stream`);
  const { StreamDescription } = await streamsClient.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const records: StreamsApiRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    records.push(...(await readShard(streamsClient, streamArn, shard.ShardId as string)));
  }
  return records;
};

const readShard = async (client: DynamoDBStreamsClient, streamArn: string, shardId: string) => {
  const records: StreamsApiRecord[] = [];
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  let iterator = ShardIterator;
  while (iterator !== undefined) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    records.push(...(page.Records ?? []));
    if ((page.Records ?? []).length === 0) break;
    iterator = page.NextShardIterator;
  }
  return records;
};

/** The same record as Lambda's event source mapping would hand it to a function. */
export { toLambdaRecord } from '../../src/testing/index.js';
