import { makeOrdersStore } from '../src/example/eventStores.js';
import { makeStream } from '../bench/projectionSuite.js';
import { ImageParser } from '../src/imageParser/index.js';
import { unmarshall } from '@aws-sdk/util-dynamodb';
const ordersStore = makeOrdersStore();
const p = new ImageParser({ sourceEventStores: [ordersStore] });
const stream = makeStream(20000, 0.6);
for (let r = 0; r < 2; r++) {
  let s = process.cpuUsage();
  for (const rec of stream) p.parseRecord(rec);
  let u = process.cpuUsage(s); console.log('parse', ((u.user+u.system)/20000).toFixed(2));
  s = process.cpuUsage();
  for (const rec of stream) unmarshall(rec.dynamodb!.NewImage as any);
  u = process.cpuUsage(s); console.log('unmarshall', ((u.user+u.system)/20000).toFixed(2));
  s = process.cpuUsage();
  for (const rec of stream) new Date('2024-01-01T00:00:00.000Z').toISOString();
  u = process.cpuUsage(s); console.log('date', ((u.user+u.system)/20000).toFixed(2));
}
