import { describe, expect, it } from 'vitest';

import { DESIGNS, freshCountsTable, type MakeDesign } from '../../bench/designs.js';
import { makeStream } from '../../bench/projectionSuite.js';
import { dropTables } from '../../src/dynamoDBLocal/dropTables.js';
import { useDynamoDB } from '../support/dynamoDB.js';

// `npm run bench` compares these ways of counting. One that refuses or miscounts its batches
// fails the whole bench, or worse publishes a wrong row: the shard watermark's, delivered
// without its runner's claim, crashed `npm run bench` unseen until a run. A small stream
// through each design here, as the bench delivers it.

const { client } = useDynamoDB();
const stream = makeStream(120, 0.6);
const hot = stream.filter((record) => record.dynamodb?.NewImage?.payload?.M?.country?.S === 'hot');

const countWith = async (
  design: MakeDesign,
  deliveries: (typeof stream)[],
): Promise<{ count: number; failed: number }> => {
  const tableName = await freshCountsTable(client);
  const counting = design(client, tableName, client);
  try {
    let failed = 0;
    for (const batch of deliveries) failed += (await counting.countBatch(batch)).failed;
    return { count: (await counting.read('hot')).count, failed };
  } finally {
    await dropTables(client, [tableName, ...(counting.tables ?? [])]);
  }
};

describe("the bench's counting designs", () => {
  const designs = DESIGNS.map((design) => [design(client, 'unused', client).name, design] as const);

  it.each(designs)('%s counts every batch once, exactly', async (_name, design) => {
    expect(await countWith(design, [stream.slice(0, 50), stream.slice(50)])).toEqual({
      count: hot.length,
      failed: 0,
    });
  });

  it.each(designs.filter(([name]) => !name.includes('not idempotent')))(
    '%s counts a batch delivered again, re-split, once',
    async (_name, design) => {
      const again = [stream.slice(0, 50), stream.slice(50), stream.slice(30, 90)];
      expect(await countWith(design, again)).toEqual({ count: hot.length, failed: 0 });
    },
  );
});
