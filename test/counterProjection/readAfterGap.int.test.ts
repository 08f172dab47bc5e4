import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { isCounterError } from '../../src/index.js';
import { shardDeliveries } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { interceptSend } from '../support/interceptSend.js';
import { orderPlacedRecord } from '../support/records.js';

// A shard-watermark read reads the count, then checks the counter's not-exact mark. Checked
// first, a gap told and later records counted between the two would give a count that misses
// the gap's records and holds later ones, as exact (found by an adversarial review).

const { client, createTestCountsTable, createTestCheckpointTable } = useDynamoDB();
const ordersStore = makeOrdersStore();

const projectionOf = (countsTableName: string, dynamoDBClient = client) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'marks',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (e) => e.payload.country,
        idempotency: 'shardWatermark',
      }),
    ],
    retry: { maxAttempts: 2, baseDelayMs: 1 },
    logger: { error: () => undefined },
  });

const order = (index: number) =>
  orderPlacedRecord(index, { customerId: 'c', country: 'FR', quantity: 1 });

describe('a shard-watermark read beside a gap being told', () => {
  it('never returns as exact a count read after a gap was told and later records counted', async () => {
    const countsTableName = await createTestCountsTable();
    const checkpointTableName = await createTestCheckpointTable();
    const live = projectionOf(countsTableName);
    const shard = shardDeliveries({ dynamoDBClient: client, checkpointTableName });
    await shard.deliver(live, [order(0)]);

    // Between the read's not-exact check and its read of the total: record 1 is dead-lettered
    // (a gap, told), then record 2 is counted.
    let meanwhile: Promise<unknown> | undefined;
    const reader = projectionOf(
      countsTableName,
      interceptSend(client, async (command, send) => {
        if (command instanceof GetItemCommand && command.input.Key?.pk?.S === 'T#marks#FR') {
          meanwhile ??= (async () => {
            await live.processRecords([], {
              ...shard.contextFor([]),
              afterGap: { reason: 'RecordsDeadLettered' },
            });
            await shard.deliver(live, [order(2)]);
          })();
          await meanwhile;
        }
        return send(command);
      }),
    );
    const read = await reader.getCount('marks', 'FR').then(
      (count) => ({ count }),
      (error: unknown) => ({ refused: isCounterError(error, 'CounterNotExact') }),
    );
    // 3 written, record 1 lost: 2 is not exact.
    expect(read).toEqual({ refused: true });
  });
});
