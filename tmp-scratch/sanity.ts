import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { counter, CounterProjection, createCountsTable } from '../src/counterProjection/index.js';
import { createCheckpointTable } from '../src/shared/index.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { shardDeliveries, eventRecord } from '../src/testing/index.js';
const client = new DynamoDBClient({ endpoint: 'http://127.0.0.1:8123', region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const s = Date.now();
const counts = 'counts' + s, cps = 'cps' + s;
await createCountsTable({ dynamoDBClient: client, tableName: counts });
await createCheckpointTable({ dynamoDBClient: client, tableName: cps });
const ordersStore = makeOrdersStore();
const mk = (strict: boolean) => new CounterProjection({ dynamoDBClient: client, countsTableName: counts, sourceEventStores: [ordersStore],
  counters: [
    counter({ name: 'wm', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key: (e) => strict ? (e.payload as any).country : ((e.payload as any).country ?? 'none'), windows: ['day'], idempotency: 'shardWatermark' }),
    counter({ name: 'refs', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key: (e) => strict ? (e.payload as any).country : ((e.payload as any).country ?? 'none') }),
  ], logger: { error: (m, a) => console.log('ERR', m, a.errorMessage) } });
const rec = (i: number, country?: string) => eventRecord({ eventStoreId: 'orders', event: { aggregateId: 'o' + i, version: 1, type: 'ORDER_PLACED', timestamp: '2024-01-01T10:00:00.000Z', payload: { customerId: 'c', quantity: 1, ...(country ? { country } : {}) } } as any, sequenceNumber: String(100000000000000000000n + BigInt(i)) });
const records = Array.from({ length: 20 }, (_, i) => rec(i, i === 7 ? undefined : i % 3 ? 'FR' : 'DE'));
const shard = shardDeliveries({ dynamoDBClient: client, checkpointTableName: cps });
const p = mk(true);
let r = await shard.deliver(p, records.slice(0, 10)); console.log('1', r.fates, r.batchItemFailures);
r = await shard.deliver(p, records.slice(0, 10)); console.log('2 redeliver', r.fates);
r = await shard.deliver(p, records.slice(5, 20)); console.log('3 overlap', r.fates);
const shard2 = shardDeliveries({ dynamoDBClient: client, checkpointTableName: cps });
r = await shard2.deliver(mk(false), records.slice(0, 20)); console.log('4 other runner, fixed module', r.fates);
for (const c of ['wm', 'refs']) console.log(c, await p.getCount(c as any, 'FR'), await p.getCount(c as any, 'DE'), await p.getCount(c as any, 'none'));
console.log(await mk(false).countSetAside());
for (const c of ['wm', 'refs']) console.log(c, await p.getCount(c as any, 'FR'), await p.getCount(c as any, 'DE'), await mk(false).getCount(c as any, 'none'));
console.log('day', await p.getCount('wm', 'FR', { window: 'day', bucket: '2024-01-01' } as any));
