import {
  type DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';

import { toEventItem } from '../src/adapter/eventItem.js';
import { DynamoDBSingleTableEventStorageAdapter } from '../src/adapter/index.js';
import { toPartitionKey } from '../src/adapter/keys.js';
import { freshId, inParallel, payload, type SuiteOptions } from './adapterFixtures.js';
import { meteredClient } from './capacity.js';
import { compare, type Comparison, type Contender } from './harness.js';

export const PLAIN_PUSH = 'castore-dynamodb-counter';
export const CONTIGUOUS_PUSH = 'castore-dynamodb-counter, requireContiguousVersions';
export const CONTIGUOUS_PUSH_NAME = 'pushEvent of version 2';
export const RAW_CHECKED_PUT = 'raw SDK TransactWriteItems (ConditionCheck + Put)';

const event = (aggregateId: string, version: number) => ({
  aggregateId,
  version,
  type: 'ORDER_PLACED',
  timestamp: new Date().toISOString(),
  payload,
});

/**
 * What `requireContiguousVersions` costs: pushing version 2 of aggregates whose version 1
 * each contender's `prepare` wrote before its clock started (version 1 needs no check, so
 * it would measure nothing). The raw baselines send the same requests as the two modes.
 */
export const contiguousPushComparison = async (
  options: SuiteOptions,
  tableName: string,
  concurrency: number,
): Promise<Comparison> => {
  const pushes = Math.round((concurrency === 1 ? 200 : 400) * options.scale);
  const contender = (
    name: string,
    pusherOn: (client: DynamoDBClient) => (aggregateId: string) => Promise<unknown>,
  ): Contender => {
    let aggregateIds: string[] = [];
    return {
      name,
      prepare: async () => {
        aggregateIds = Array.from({ length: pushes }, () => freshId(`v2-${name}`));
        await inParallel(pushes, 32, (index) =>
          options.client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: toEventItem(event(aggregateIds[index] as string, 1), 'bench'),
            }),
          ),
        );
      },
      run: async () => {
        const metered = meteredClient(options.client);
        const push = pusherOn(metered.client);
        await inParallel(pushes, concurrency, (index) => push(aggregateIds[index] as string));
        return { operations: pushes, wcu: metered.takeWcu() };
      },
    };
  };
  const adapter = (client: DynamoDBClient, requireContiguousVersions: boolean) =>
    new DynamoDBSingleTableEventStorageAdapter({
      tableName,
      dynamoDBClient: client,
      requireContiguousVersions,
    });
  const conditionalPut = (id: string) => ({
    TableName: tableName,
    Item: toEventItem(event(id, 2), 'bench'),
    ConditionExpression: 'attribute_not_exists(#v)',
    ExpressionAttributeNames: { '#v': 'version' },
  });
  return compare({
    suite: 'adapter',
    name: `${CONTIGUOUS_PUSH_NAME}, concurrency ${concurrency}`,
    baseline: 'raw SDK conditional PutItem',
    rounds: options.rounds,
    warmup: options.warmup,
    contenders: [
      contender(
        'raw SDK conditional PutItem',
        (client) => (id) => client.send(new PutItemCommand(conditionalPut(id))),
      ),
      contender(PLAIN_PUSH, (client) => {
        const plain = adapter(client, false);
        return (id) => plain.pushEvent(event(id, 2), { eventStoreId: 'bench' });
      }),
      contender(
        RAW_CHECKED_PUT,
        (client) => (id) =>
          client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  ConditionCheck: {
                    TableName: tableName,
                    Key: { aggregateId: { S: toPartitionKey('bench', id) }, version: { N: '1' } },
                    ConditionExpression: 'attribute_exists(#v)',
                    ExpressionAttributeNames: { '#v': 'version' },
                  },
                },
                { Put: conditionalPut(id) },
              ],
            }),
          ),
      ),
      contender(CONTIGUOUS_PUSH, (client) => {
        const contiguous = adapter(client, true);
        return (id) => contiguous.pushEvent(event(id, 2), { eventStoreId: 'bench' });
      }),
    ],
  });
};
