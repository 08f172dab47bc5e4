import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record as StreamsApiRecord,
  DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';

import { createEventTable, DynamoDBSingleTableEventStorageAdapter } from '../src/adapter/index.js';
import { counter, CounterProjection } from '../src/counterProjection/index.js';
import { CounterReactions, pushEventReaction } from '../src/counterReactions/index.js';
import { dropTables } from '../src/dynamoDBLocal/dropTables.js';
import { makeCountReachedStore, makeOrdersStore } from '../src/example/eventStores.js';
import { readStream } from '../test/support/streams.js';
import { meteredClient } from './capacity.js';
import { freshCountsTable } from './designs.js';
import { compare, type Comparison } from './harness.js';
import { makeStream } from './projectionSuite.js';

export const REACTIONS_NAME = 'counting with reactions';
export const COUNTING_ALONE = 'counting alone';
export const COUNTING_AND_REACTING = 'counting, then reacting (COUNT_REACHED pushed)';
export const COUNTING_WITH_STREAM = 'counting into a table with its stream (nothing reads it)';
// Every key's first event crosses 1: a crossing for each of the 500 cold keys, 4 for the hot one.
const THRESHOLDS = [1, 10, 100, 1_000];
const BATCH_SIZE = 500;

const ordersStore = makeOrdersStore();
const placed = counter({
  name: 'placed',
  eventStore: ordersStore,
  eventTypes: ['ORDER_PLACED'],
  key: (event) => event.payload.country,
  thresholds: THRESHOLDS,
});

const inBatches = async (
  records: StreamsApiRecord[],
  handle: (batch: StreamsApiRecord[]) => Promise<unknown>,
) => {
  for (let start = 0; start < records.length; start += BATCH_SIZE)
    await handle(records.slice(start, start + BATCH_SIZE));
};

const countInto = async (client: DynamoDBClient, tableName: string, stream: StreamsApiRecord[]) => {
  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName: tableName,
    sourceEventStores: [ordersStore],
    counters: [placed],
    logger: { error: () => undefined },
  });
  await inBatches(stream, (batch) => projection.processRecords(batch));
};

/**
 * What reactions add to counting: the same events counted into a counts table without a
 * stream, against counted into one with its stream, which the reactions then read whole
 * (the Streams API, batches of 500) and react to, pushing one COUNT_REACHED per crossing.
 * WCU: the counting's and the pushes' (reading a stream costs no WCU).
 */
export const runReactionsCost = async ({
  client,
  endpoint,
  events,
  rounds,
  warmup,
}: {
  client: DynamoDBClient;
  endpoint: string;
  events: number;
  rounds: number;
  warmup: number;
}): Promise<Comparison> => {
  const stream = makeStream(events, 0.6);
  const streamsClient = new DynamoDBStreamsClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await compare({
      suite: 'projection',
      name: `${REACTIONS_NAME}: ${events} events, 60% on one hot key, thresholds ${THRESHOLDS.join(', ')}`,
      unit: 'events/s',
      baseline: COUNTING_ALONE,
      rounds,
      warmup,
      contenders: [
        {
          name: COUNTING_ALONE,
          run: async () => {
            const metered = meteredClient(client);
            const tableName = await freshCountsTable(client);
            await countInto(metered.client, tableName, stream);
            const wcu = metered.takeWcu();
            await dropTables(client, [tableName]);
            return { operations: events, wcu };
          },
        },
        {
          // DynamoDB Local's own cost of the stream, apart from what the reactions do.
          name: COUNTING_WITH_STREAM,
          run: async () => {
            const metered = meteredClient(client);
            const tableName = await freshCountsTable(client, { stream: true });
            await countInto(metered.client, tableName, stream);
            const wcu = metered.takeWcu();
            await dropTables(client, [tableName]);
            return { operations: events, wcu };
          },
        },
        {
          name: COUNTING_AND_REACTING,
          run: async () => {
            const metered = meteredClient(client);
            const tableName = await freshCountsTable(client, { stream: true });
            const reactionsTable = `bench-reactions-${Date.now()}`;
            await createEventTable({ dynamoDBClient: client, tableName: reactionsTable });
            await countInto(metered.client, tableName, stream);
            const reactions = new CounterReactions({
              counters: [placed],
              react: pushEventReaction({
                eventStore: makeCountReachedStore(
                  new DynamoDBSingleTableEventStorageAdapter({
                    tableName: reactionsTable,
                    dynamoDBClient: metered.client,
                  }),
                ),
                eventType: 'COUNT_REACHED',
              }),
            });
            let fired = 0;
            const countsRecords = await readStream({
              dynamoDBClient: client,
              streamsClient,
              tableName,
            });
            await inBatches(countsRecords, async (batch) => {
              fired += (await reactions.processRecords(batch)).stats.fired;
            });
            const wcu = metered.takeWcu();
            await dropTables(client, [tableName, reactionsTable]);
            return { operations: events, wcu, notes: `${fired} crossings fired` };
          },
        },
      ],
    });
  } finally {
    streamsClient.destroy();
  }
};
