import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { isCounterError } from '../../src/index.js';
import { shardDeliveries } from '../../src/testing/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { readStream } from '../support/streams.js';

const {
  client,
  streamsClient,
  createTestEventTable,
  createTestCountsTable,
  createTestCheckpointTable,
} = useDynamoDB();

describe('rebuilding shardWatermark counters into a fresh counts table (DynamoDB Local)', () => {
  it('counts every event once: the rebuild and the records it may have seen through refs, the later ones through the watermark', async () => {
    const eventTable = await createTestEventTable();
    const store = makeOrdersStore(
      new DynamoDBSingleTableEventStorageAdapter({ tableName: eventTable, dynamoDBClient: client }),
    );
    const place = (index: number) =>
      store.pushEvent({
        aggregateId: `o${index}`,
        version: 1,
        type: 'ORDER_PLACED',
        payload: { customerId: 'c', country: 'FR', quantity: 1 },
      });
    for (let index = 0; index < 5; index++) await place(index);
    const countsTableName = await createTestCountsTable();
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [store],
      counters: [
        counter({
          name: 'hot',
          eventStore: store,
          eventTypes: ['ORDER_PLACED'],
          key: (e) => e.payload.country,
          idempotency: 'shardWatermark',
        }),
      ],
    });
    const checkpointTableName = await createTestCheckpointTable();
    // Two runners of the live stream, the second restarted from the start.
    const runner = () =>
      shardDeliveries({ dynamoDBClient: client, checkpointTableName, shardId: 'shardId-local' });

    await projection.rebuild({ eventTableName: eventTable });
    expect(await projection.getCount('hot', 'FR')).toBe(5);
    for (let index = 5; index < 8; index++) await place(index);
    // The live stream from its start: what the rebuild counted comes again, with 3 more.
    const live = await readStream({ dynamoDBClient: client, streamsClient, tableName: eventTable });
    await runner().deliver(projection, live);
    await runner().deliver(projection, live.slice(2));
    expect(await projection.getCount('hot', 'FR')).toBe(8);
    expect((await projection.listCountedRefs('hot', 'FR')).refs).toHaveLength(8);

    // Records written after the rebuild's end (and its margin): the watermark's, no ref.
    const last = live[live.length - 1] as StreamsApiRecord;
    const later = [1, 2].map((step) => ({
      ...last,
      dynamodb: {
        ...last.dynamodb,
        // DynamoDB Local's are 21 digits, zero-padded.
        SequenceNumber: String(
          BigInt(last.dynamodb?.SequenceNumber as string) + BigInt(step),
        ).padStart(21, '0'),
        ApproximateCreationDateTime: new Date(Date.now() + 3_600_000),
        NewImage: {
          ...last.dynamodb?.NewImage,
          aggregateId: { S: `orders#later-${step}` },
        },
      },
    })) as StreamsApiRecord[];
    const afterEnd = runner();
    await afterEnd.deliver(projection, later);
    await afterEnd.deliver(projection, later);
    expect(await projection.getCount('hot', 'FR')).toBe(10);
    expect((await projection.listCountedRefs('hot', 'FR')).refs).toHaveLength(8);

    await expect(projection.rebuild({ eventTableName: eventTable })).rejects.toSatisfy(
      (error) => isCounterError(error, 'WatermarkRefused') && error.setting === 'Rebuild',
    );
    expect(await projection.getCount('hot', 'FR')).toBe(10);
  });
});
