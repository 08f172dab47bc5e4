import { beforeAll, describe, expect, it } from 'vitest';

import { createCheckpointTable, type StreamRunnerProgress } from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { recordOf, simulatedRunner } from '../support/simulatedRunner.js';
import { SimulatedStream } from '../support/simulatedStreams.js';
import { waitUntil } from '../support/waitFor.js';

const { client: dynamoDBClient, uniqueTableName, createTestEventTable } = useDynamoDB();
let tableName: string;
let checkpointTableName: string;

beforeAll(async () => {
  tableName = await createTestEventTable(); // the runner finds its stream ARN there
  checkpointTableName = uniqueTableName('checkpoints');
  await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
});

describe("the runner's progress once it is idle (issue 34)", () => {
  it('reports a lag of 0 once a shard is read to its end, instead of the last record’s age', async () => {
    const stream = new SimulatedStream();
    stream.write(recordOf('orders#a', 'a'), 'orders#a');
    stream.advance(97_000); // read 97 s after it was written
    const reports: StreamRunnerProgress[] = [];
    const { runner } = simulatedRunner({
      stream,
      dynamoDBClient,
      tableName,
      checkpointTableName,
      handler: async () => undefined,
      onProgress: (progress) => reports.push(progress),
    });
    const shardId = stream.shards[0]?.id as string;
    const running = runner.run(); // as `run` does: until stopped, idle once caught up
    try {
      await waitUntil(() => reports.some((report) => report.committed === 1), {
        what: 'the record handled',
      });
      expect(reports.find((report) => report.committed === 1)).toMatchObject({
        lagMs: 97_000,
        lagMsByShard: { [shardId]: 97_000 },
      });
      // Idle now: a report must follow that says nothing waits, as `status` does.
      await waitUntil(() => reports.at(-1)?.lagMs === 0, {
        what: 'a report with no lag',
        timeoutMs: 5_000,
      });
      expect(reports.at(-1)).toMatchObject({ committed: 1, lagMsByShard: { [shardId]: 0 } });
    } finally {
      runner.stop();
      await running;
    }
  });
});
