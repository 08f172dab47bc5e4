import { makeOrdersStore } from '../src/example/eventStores.js';
import { makeStream } from '../bench/projectionSuite.js';
import { ImageParser } from '../src/imageParser/index.js';
import { counter } from '../src/counterProjection/index.js';
import { planBatch } from '../src/counterProjection/planBatch.js';
import { noStats } from '../src/counterProjection/processRecordsResult.js';
import { packTransactions } from '../src/counterProjection/writePath/packTransactions.js';
import { buildTransaction } from '../src/counterProjection/writePath/buildTransaction.js';
import { sharedItemsOf } from '../src/counterProjection/writePath/runTransactions.js';
import { groupMarkRuns, runUpdate } from '../src/counterProjection/shardWatermark/markRuns.js';
import { watermarkedUpdate } from '../src/counterProjection/countsItems/index.js';
const ordersStore = makeOrdersStore();
const parser = new ImageParser({ sourceEventStores: [ordersStore] }) as any;
const N = 20000;
const stream = makeStream(N, 0.6).map((r) => ({ ...r, dynamodb: { ...r.dynamodb, ApproximateCreationDateTime: new Date('2024-01-01T00:00:00Z') } }));
const time = (label: string, f: () => void) => { f(); const s = process.cpuUsage(); for (let i = 0; i < 3; i++) f(); const u = process.cpuUsage(s); console.log(label.padEnd(30), ((u.user + u.system) / N / 3).toFixed(2), 'us/record'); };
for (const idem of ['refs', 'shardWatermark'] as const) {
  const counters = [counter({ name: 'c', eventStore: ordersStore, eventTypes: ['ORDER_PLACED'], key: (e) => e.payload.country, windows: ['minute','hour','day'], idempotency: idem })];
  time(idem + ' parse', () => { for (const r of stream) parser.parseRecord(r); });
  time(idem + ' plan (parse incl)', () => { for (let i = 0; i < N; i += 1000) planBatch(stream.slice(i, i + 1000), { imageParser: parser, counters, collectFailures: false }, noStats()); });
  const plans = []; for (let i = 0; i < N; i += 1000) plans.push(planBatch(stream.slice(i, i + 1000), { imageParser: parser, counters, collectFailures: false }, noStats()));
  if (idem === 'refs') {
    time('pack', () => { for (const p of plans) packTransactions(p.increments); });
    const packed = plans.map((p) => packTransactions(p.increments));
    time('shared items', () => { for (const ts of packed) for (const t of ts) sharedItemsOf(t); });
    time('build', () => { for (const ts of packed) for (const t of ts) buildTransaction({ tableName: 'x', chunks: t, countedAt: 'now' }); });
  } else {
    time('group runs', () => { for (const p of plans) groupMarkRuns(p.increments); });
  }
}
