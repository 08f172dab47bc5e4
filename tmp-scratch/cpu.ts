import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { counter, CounterProjection } from '../src/counterProjection/index.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { makeStream } from '../bench/projectionSuite.js';

const ordersStore = makeOrdersStore();
const instant = { send: async () => ({}) } as unknown as DynamoDBClient;
const run = (idempotency: 'refs' | 'shardWatermark', windows: ('day'|'hour'|'minute')[], batchSize: number, n = 20000) => {
  const projection = new CounterProjection({
    dynamoDBClient: instant, countsTableName: 'counts', sourceEventStores: [ordersStore],
    counters: [counter({ name: 'c', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key: (e) => e.payload.country, windows, idempotency })],
    logger: { error: () => undefined },
  });
  const stream = makeStream(n, 0.6);
  return async () => {
    const start = process.cpuUsage();
    for (let i = 0; i < stream.length; i += batchSize)
      await projection.processRecords(stream.slice(i, i + batchSize), { shardId: 'shardId-1', delivery: 'stream' });
    const used = process.cpuUsage(start);
    return ((used.user + used.system) / n);
  };
};
for (const mode of ['refs', 'shardWatermark'] as const)
  for (const windows of [[], ['day']] as const)
    for (const b of [100, 1000]) {
      const f = run(mode, [...windows], b);
      await f();
      console.log(mode, windows.join(',') || '-', b, (await f()).toFixed(1), 'us/record');
    }
