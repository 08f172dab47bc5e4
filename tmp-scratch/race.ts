import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { counter, CounterProjection, createCountsTable } from '../src/counterProjection/index.js';
import { createCheckpointTable } from '../src/shared/index.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { shardDeliveries, eventRecord } from '../src/testing/index.js';
const client = new DynamoDBClient({ endpoint: 'http://127.0.0.1:8123', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const ordersStore = makeOrdersStore();
for (let trial = 0; trial < 10; trial++) {
  const s = Date.now() + '-' + trial; const counts = 'counts' + s, cps = 'cps' + s;
  await createCountsTable({ dynamoDBClient: client, tableName: counts });
  await createCheckpointTable({ dynamoDBClient: client, tableName: cps });
  const logs: string[] = [];
  const mk = () => new CounterProjection({ dynamoDBClient: client, countsTableName: counts, sourceEventStores: [ordersStore],
    counters: [counter({ name: 'wm', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key: (e) => (e.payload as any).country, idempotency: 'shardWatermark' })],
    logger: { error: (m) => logs.push(m) } });
  const rec = (i: number, country?: string) => eventRecord({ eventStoreId: 'orders', event: { aggregateId: 'o' + i, version: 1, type: 'ORDER_PLACED', timestamp: '2024-01-01T10:00:00.000Z', payload: { customerId: 'c', quantity: 1, ...(country ? { country } : {}) } } as any, sequenceNumber: String(100000000000000000000n + BigInt(i)) });
  const records = Array.from({ length: 21 }, (_, i) => rec(i, i === 20 ? undefined : 'FR'));
  const a = shardDeliveries({ dynamoDBClient: client, checkpointTableName: cps }), b = shardDeliveries({ dynamoDBClient: client, checkpointTableName: cps });
  await Promise.all([a.deliver(mk(), records), b.deliver(mk(), records)]);
  console.log(trial, logs.filter((l) => l.includes('set aside')).length, await mk().getCount('wm', 'FR'));
}
