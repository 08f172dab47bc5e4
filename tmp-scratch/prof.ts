import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { counter, CounterProjection } from '../src/counterProjection/index.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { makeStream } from '../bench/projectionSuite.js';
import { shardDeliveries } from '../src/testing/index.js';
const ordersStore = makeOrdersStore();
const instant = { send: async () => ({}) } as unknown as DynamoDBClient;
const mode = process.argv[2] as 'refs'|'shardWatermark'; const b = Number(process.argv[3]);
const projection = new CounterProjection({ dynamoDBClient: instant, countsTableName: 'counts', sourceEventStores: [ordersStore],
  counters: [counter({ name: 'c', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key: (e) => e.payload.country, windows: ['minute','hour','day'], idempotency: mode })], logger: { error: () => undefined } });
const stream = makeStream(20000, 0.6).map((r) => ({ ...r, dynamodb: { ...r.dynamodb, ApproximateCreationDateTime: new Date('2024-01-01T00:00:00Z') } }));
const shard = shardDeliveries({ dynamoDBClient: instant, checkpointTableName: 'cps' });
for (let round = 0; round < 5; round++)
  for (let i = 0; i < stream.length; i += b) { const batch = stream.slice(i, i + b); if (mode === 'refs') await projection.processRecords(batch); else await shard.deliver(projection, batch); }
