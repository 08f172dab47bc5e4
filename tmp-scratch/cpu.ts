import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { counter, CounterProjection } from '../src/counterProjection/index.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { makeStream } from '../bench/projectionSuite.js';
import { shardDeliveries } from '../src/testing/index.js';

const ordersStore = makeOrdersStore();
const instant = { send: async () => ({}) } as unknown as DynamoDBClient;
const windowsSets = process.argv[2] === 'all' ? [[], ['day'], ['minute', 'hour', 'day']] : [[], ['day']];
const run = (idempotency: 'refs' | 'shardWatermark', windows: ('day'|'hour'|'minute')[], batchSize: number, n = 20000) => {
  const projection = new CounterProjection({
    dynamoDBClient: instant, countsTableName: 'counts', sourceEventStores: [ordersStore],
    counters: [counter({ name: 'c', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key: (e) => e.payload.country, windows, idempotency })],
    logger: { error: () => undefined },
  });
  const stream = makeStream(n, 0.6).map((r) => ({ ...r, dynamodb: { ...r.dynamodb, ApproximateCreationDateTime: new Date('2024-01-01T00:00:00Z') } }));
  const shard = shardDeliveries({ dynamoDBClient: instant, checkpointTableName: 'cps' });
  return async () => {
    const start = process.cpuUsage();
    for (let i = 0; i < stream.length; i += batchSize) {
      const batch = stream.slice(i, i + batchSize);
      if (idempotency === 'refs') await projection.processRecords(batch); else await shard.deliver(projection, batch);
    }
    const used = process.cpuUsage(start);
    return ((used.user + used.system) / n);
  };
};
for (const mode of ['refs', 'shardWatermark'] as const)
  for (const windows of windowsSets)
    for (const b of [100, 1000, 10000]) {
      const f = run(mode, [...windows] as any, b);
      await f();
      console.log(mode, windows.join(',') || '-', b, (await f()).toFixed(1), 'us/record');
    }
