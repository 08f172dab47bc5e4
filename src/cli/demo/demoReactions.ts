import { DynamoDBSingleTableEventStorageAdapter } from '../../adapter/index.js';
import { CounterReactions, pushEventReaction } from '../../counterReactions/index.js';
import {
  counters,
  type ExpectedCount,
  expectedThresholdCrossings,
  makeCountReachedStore,
} from '../../example/index.js';
import { StreamRunner } from '../../streamRunner/index.js';
import type { Connection } from '../frame/withConnection.js';
import { out } from '../io.js';

/**
 * The demo's second consumer: the counts table's stream, firing COUNT_REACHED into a
 * reactions table when a country's orders reach one of ordersByCountry's thresholds.
 */
export const demoReactions = async ({
  connection,
  names,
}: {
  connection: Connection;
  names: { countsTable: string; checkpointTable: string; reactionsTable: string };
}) => {
  const store = makeCountReachedStore(
    new DynamoDBSingleTableEventStorageAdapter({
      tableName: names.reactionsTable,
      dynamoDBClient: connection.dynamoDBClient,
    }),
  );
  const reactions = new CounterReactions({
    counters,
    react: pushEventReaction({ eventStore: store, eventType: 'COUNT_REACHED' }),
  });
  const runner = new StreamRunner({
    dynamoDBClient: connection.dynamoDBClient,
    streamsClient: await connection.streamsClient('demo'),
    tableName: names.countsTable,
    checkpointTableName: names.checkpointTable,
    consumerName: 'reactions',
    handler: async (records) => ({
      batchItemFailures: (await reactions.processRecords(records)).batchItemFailures,
    }),
    batchSize: 1_000,
    pollIntervalMs: 50,
    stopOnSignals: false,
  });
  return { runner, store };
};

/**
 * Once the counts are in: waits for the reactions to catch up, then checks that each
 * expected crossing has exactly one COUNT_REACHED event, and none other. Says so; false when not.
 */
export const reportReactions = async ({
  runner,
  store,
  expected,
}: Awaited<ReturnType<typeof demoReactions>> & { expected: ExpectedCount[] }): Promise<boolean> => {
  const running = runner.run({ untilCaughtUp: true });
  await running;
  const want = expectedThresholdCrossings(counters, expected);
  const { aggregateIds } = await store.listAggregateIds();
  const fired = aggregateIds.map(({ aggregateId }) => aggregateId).sort();
  const events = await Promise.all(fired.map(async (id) => (await store.getEvents(id)).events));
  const once = events.every((aggregateEvents) => aggregateEvents.length === 1);
  const exact = once && JSON.stringify(fired) === JSON.stringify(want);
  const shown = fired
    .slice(0, 3)
    .map((id) => id.split('#').slice(0, 2).join(' ') + ` reached ${id.split('#').pop()}`);
  out(
    `Reactions: ${fired.length} thresholds reached, one COUNT_REACHED event each (${shown.join(', ')}${fired.length > 3 ? ', …' : ''}).`,
  );
  if (!exact)
    out(
      `FAILED: the reactions fired ${fired.length} crossings (${once ? 'once each' : 'some more than once'}); the counts reached ${want.length}.`,
    );
  return exact;
};
