import { DynamoDBSingleTableEventStorageAdapter } from '../../adapter/index.js';
import { CounterProjection } from '../../counterProjection/index.js';
import {
  counters,
  expectedCounts,
  makeOrdersStore,
  makeUsersStore,
  planWorkload,
  type PushedEvent,
  pushWorkload,
} from '../../example/index.js';
import { StreamRunner } from '../../streamRunner/index.js';
import { type Connection, withConnection } from '../frame/withConnection.js';
import { out } from '../io.js';
import { renderTable, showProgress } from '../output/render.js';
import type { DemoOptions } from './demoOptions.js';
import { demoReactions, reportReactions } from './demoReactions.js';
import { cleanUpTables, createDemoTables } from './demoTables.js';

/**
 * The whole pipeline on one machine: Castore pushes -> the table's stream -> the stream
 * runner -> the counter projection, then a check that every count matches what was pushed;
 * then the reactions read the counts table's stream: one COUNT_REACHED per threshold reached.
 * Resolves to the process exit code.
 */
export const runDemo = async (options: DemoOptions): Promise<number> => {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  out(
    options.endpoint === undefined
      ? 'Starting DynamoDB Local…'
      : `Using DynamoDB at ${options.endpoint}`,
  );
  try {
    return await withConnection(
      { endpoint: options.endpoint, embedded: true, port: options.port },
      async (connection) => {
        const names = await createDemoTables(connection);
        try {
          const { pushed, seconds, projection } = await runPipeline({
            options,
            names,
            connection,
            signal: abort.signal,
          });
          if (abort.signal.aborted) {
            out('Interrupted.');
            return 130;
          }
          const code = await reportCounts({ projection, pushed, seconds });
          const expected = [...expectedCounts(counters, pushed).values()];
          const reactions = await demoReactions({ connection, names });
          return (await reportReactions({ ...reactions, expected })) ? code : 1;
        } finally {
          await cleanUpTables({ connection, names, options });
        }
      },
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};

const runPipeline = async ({
  options,
  names,
  connection,
  signal,
}: {
  options: DemoOptions;
  names: { eventTable: string; countsTable: string; checkpointTable: string };
  connection: Connection;
  signal: AbortSignal;
}) => {
  const { dynamoDBClient } = connection;
  const adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: names.eventTable,
    dynamoDBClient,
  });
  const stores = { orders: makeOrdersStore(adapter), users: makeUsersStore(adapter) };
  const projection = makeDemoProjection(dynamoDBClient, names.countsTable);
  const progress = showProgress([
    { name: 'pushed', total: options.events },
    { name: 'counted', total: options.events },
  ]);
  let pushedCount = 0;
  let committed = 0;
  const runner = await demoRunner({
    connection,
    names,
    projection,
    onCommitted: (count) => progress.update({ counted: (committed = count) }),
  });

  const started = Date.now();
  const running = runner.run();
  const pushed: PushedEvent[] = await pushWorkload({
    operations: planWorkload({ events: options.events, seed: options.seed }),
    stores,
    concurrency: options.concurrency,
    signal,
    onPushed: (count) => progress.update({ pushed: (pushedCount += count) }),
  });
  while (committed < pushed.length && !signal.aborted)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (Date.now() - started) / 1000;
  runner.stop();
  await running;
  progress.stop();
  return { pushed, seconds, projection };
};

/** The stream runner of the demo: large batches, quick polls, Ctrl-C handled by the demo itself. */
const demoRunner = async ({
  connection,
  names,
  projection,
  onCommitted,
}: {
  connection: Connection;
  names: { eventTable: string; checkpointTable: string };
  projection: ReturnType<typeof makeDemoProjection>;
  onCommitted: (committed: number) => void;
}): Promise<StreamRunner> =>
  new StreamRunner({
    dynamoDBClient: connection.dynamoDBClient,
    streamsClient: await connection.streamsClient('demo'),
    tableName: names.eventTable,
    checkpointTableName: names.checkpointTable,
    handler: (records, batch) => projection.processRecords(records, batch),
    batchSize: 1_000,
    pollIntervalMs: 50,
    stopOnSignals: false,
    onProgress: (p) => onCommitted(p.committed),
  });

const makeDemoProjection = (
  dynamoDBClient: Connection['dynamoDBClient'],
  countsTableName: string,
) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [makeOrdersStore(), makeUsersStore()],
    counters,
  });

const reportCounts = async ({
  projection,
  pushed,
  seconds,
}: {
  projection: ReturnType<typeof makeDemoProjection>;
  pushed: PushedEvent[];
  seconds: number;
}) => {
  const expected = [...expectedCounts(counters, pushed).values()].sort(
    (a, b) => a.counterName.localeCompare(b.counterName) || b.count - a.count,
  );
  const actual = await projection.getCounts(
    expected.map(({ counterName, key }) => ({
      counterName: counterName as (typeof counters)[number]['name'],
      key,
    })),
  );
  const rows = expected.map(({ counterName, key, count }, index) => [
    counterName,
    key,
    actual[index] ?? 0,
    count,
    actual[index] === count ? 'ok' : 'MISMATCH',
  ]);
  out(renderTable(['counter', 'key', 'counted', 'expected', 'check'], rows));
  const mismatches = rows.filter((row) => row[4] !== 'ok').length;
  out(
    `${pushed.length} events pushed and counted in ${seconds.toFixed(1)} s: ${Math.round(pushed.length / seconds)} events/s end to end.`,
  );
  if (mismatches > 0) {
    out(`FAILED: ${mismatches} of ${rows.length} counts differ from what was pushed.`);
    return 1;
  }
  out(`All ${rows.length} counts equal what was pushed.`);
  return 0;
};
