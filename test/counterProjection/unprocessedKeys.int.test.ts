import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';

const { client, createTestCountsTable } = useDynamoDB();
let countsTableName: string;
const ordersStore = makeOrdersStore();
const counters = [counter({ name: 'placed', eventStore: ordersStore, key: () => 'k' })];

beforeAll(async () => {
  countsTableName = await createTestCountsTable();
});

/**
 * Real DynamoDB Local behind a wrapper that answers only the first key of each
 * BatchGetItem and returns the others as UnprocessedKeys, as AWS does under load
 * (injected: DynamoDB Local never returns UnprocessedKeys).
 */
const partialBatchGets = (real: DynamoDBClient) => {
  let calls = 0;
  const wrapped = new Proxy(real, {
    get: (target, property, receiver) =>
      property !== 'send'
        ? Reflect.get(target, property, receiver)
        : async (command: unknown) => {
            if (!(command instanceof BatchGetItemCommand)) return target.send(command as never);
            calls += 1;
            const [tableName, request] = Object.entries(command.input.RequestItems ?? {})[0] ?? [];
            const [first, ...rest] = request?.Keys ?? [];
            const answer = await target.send(
              new BatchGetItemCommand({
                RequestItems: { [tableName as string]: { Keys: [first as never] } },
              }),
            );
            return {
              ...answer,
              UnprocessedKeys: rest.length > 0 ? { [tableName as string]: { Keys: rest } } : {},
            };
          },
  });
  return { client: wrapped, calls: () => calls };
};

describe('getCounts when DynamoDB returns UnprocessedKeys (injected: DynamoDB Local never does)', () => {
  it('asks again for the unprocessed keys until every count is read', async () => {
    const healthy = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters,
    });
    for (const [index, key] of ['a', 'b', 'c', 'd'].entries())
      await healthy.increment({ counterName: 'placed', key, by: index + 1, targetRef: key });

    const partial = partialBatchGets(client);
    const projection = new CounterProjection({
      dynamoDBClient: partial.client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters,
      retry: { baseDelayMs: 1 },
    });
    const counts = await projection.getCounts(
      ['a', 'b', 'c', 'd', 'never'].map((key) => ({ counterName: 'placed' as const, key })),
    );
    expect(counts).toEqual([1, 2, 3, 4, 0]);
    expect(partial.calls()).toBe(5);
  });

  it('gives up with a typed error past the retry budget', async () => {
    const partial = partialBatchGets(client);
    const projection = new CounterProjection({
      dynamoDBClient: partial.client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const error = await projection
      .getCounts(['a', 'b', 'c'].map((key) => ({ counterName: 'placed' as const, key })))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CountReadFailed', attempts: 2 });
  });
});
