import {
  DescribeTableCommand,
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { CounterProjection, countingStreamFilter } from '../../src/counterProjection/index.js';
import { CounterReactions, pushEventReaction } from '../../src/counterReactions/index.js';
import { dropTables } from '../../src/dynamoDBLocal/dropTables.js';
import { counters, sourceEventStores } from '../../src/example/counters.js';
import { makeCountReachedStore } from '../../src/example/eventStores.js';
import {
  type FailedRecords,
  lambdaFailureMessage,
  replayDeadLetter,
  type StreamFilterPattern,
  type StreamHandler,
  StreamRunner,
} from '../../src/streamRunner/index.js';
import { createPipelineTables, makeClients, pushDemoWorkload, seededRandom } from '../setUp.js';
import { type Verdict, verify } from '../verify.js';

const projectionOn = (client: DynamoDBClient, countsTable: string, maxAttempts = 8) =>
  new CounterProjection({
    dynamoDBClient: client,
    countsTableName: countsTable,
    sourceEventStores,
    counters,
    retry: { maxAttempts, baseDelayMs: 5 },
    logger: { error: () => undefined },
  });

const runToTheEnd = async ({
  client,
  streamsClient,
  tables,
  handler,
  onFailure,
  maximumRetryAttempts = -1,
  stream = 'events',
  filter,
}: {
  client: DynamoDBClient;
  streamsClient: ReturnType<typeof makeClients>['streamsClient'];
  tables: Awaited<ReturnType<typeof createPipelineTables>>;
  handler: StreamHandler;
  onFailure?: (failed: FailedRecords) => void;
  maximumRetryAttempts?: number;
  /** The event table's stream (counting) or the counts table's (reacting). */
  stream?: 'events' | 'counts';
  /** The mapping's filter pattern, as the CDK construct deploys it. */
  filter?: StreamFilterPattern;
}) =>
  new StreamRunner({
    dynamoDBClient: client,
    streamsClient,
    tableName: stream === 'events' ? tables.eventTable : tables.countsTable,
    consumerName: stream,
    checkpointTableName: tables.checkpointTable,
    handler,
    batchSize: 300,
    pollIntervalMs: 20,
    stopOnSignals: false,
    maximumRetryAttempts,
    retryDelay: { baseDelayMs: 5, maxDelayMs: 50 },
    ...(onFailure !== undefined ? { onFailure } : {}),
    ...(filter !== undefined ? { filter } : {}),
  }).run({ untilCaughtUp: true });

/** A handler that re-splits each batch into random pieces, delivers each 1 to 3 times, and replays an old piece now and then. */
const redelivering = (
  handle: (
    records: StreamsApiRecord[],
  ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>,
  random: () => number,
  counter: { duplicatesInjected: number },
): StreamHandler => {
  const delivered: StreamsApiRecord[][] = [];
  return async (records) => {
    for (let start = 0; start < records.length;) {
      const piece = records.slice(start, (start += 1 + Math.floor(random() * 120)));
      const times = 1 + Math.floor(random() * 3);
      for (let time = 0; time < times; time++) {
        const { batchItemFailures } = await handle(piece);
        if (batchItemFailures.length > 0) return { batchItemFailures };
      }
      counter.duplicatesInjected += (times - 1) * piece.length;
      delivered.push(piece);
    }
    const old = delivered[Math.floor(random() * delivered.length)];
    if (old !== undefined && random() < 0.3) {
      await handle(old);
      counter.duplicatesInjected += old.length;
    }
    return undefined;
  };
};

/** Every batch (of the event table's stream, then of the counts table's) re-split into random pieces, each delivered 1 to 3 times, some delivered again later. */
export const redelivery = async ({
  endpoint,
  events,
  seed = 3,
}: {
  endpoint: string;
  events: number;
  seed?: number;
}): Promise<Verdict> => {
  const { client, streamsClient } = makeClients(endpoint);
  const random = seededRandom(seed);
  try {
    const tables = await createPipelineTables(client, { reactions: true });
    const { operations, acknowledged } = await pushDemoWorkload({
      client,
      eventTable: tables.eventTable,
      events,
    });
    const projection = projectionOn(client, tables.countsTable);
    const redelivered = { duplicatesInjected: 0 };
    await runToTheEnd({
      client,
      streamsClient,
      tables,
      handler: redelivering((records) => projection.processRecords(records), random, redelivered),
    });
    // The counts table's stream, redelivered the same way to the reactions.
    const reactionStore = makeCountReachedStore(
      new DynamoDBSingleTableEventStorageAdapter({
        tableName: tables.reactionsTable as string,
        dynamoDBClient: client,
      }),
    );
    const reactions = new CounterReactions({
      counters,
      react: pushEventReaction({ eventStore: reactionStore, eventType: 'COUNT_REACHED' }),
    });
    await runToTheEnd({
      client,
      streamsClient,
      tables,
      stream: 'counts',
      handler: redelivering((records) => reactions.processRecords(records), random, redelivered),
    });
    const { duplicatesInjected } = redelivered;
    const verdict = await verify({
      client,
      tables,
      scenario: 'every batch delivered 1 to 3 times, re-split (counts, then reactions)',
      operations,
      acknowledged,
      duplicatesInjected,
    });
    await dropTables(client, Object.values(tables));
    return verdict;
  } finally {
    client.destroy();
    streamsClient.destroy();
  }
};

/**
 * A share of the projection's DynamoDB calls fail with throttling or TransactionConflict;
 * what still fails past the retry budget goes to the dead letter and is replayed from it.
 */
export const throttling = async ({
  endpoint,
  events,
  failureShare,
  seed = 4,
}: {
  endpoint: string;
  events: number;
  failureShare: number;
  seed?: number;
}) => {
  const { client, streamsClient } = makeClients(endpoint);
  const random = seededRandom(seed);
  let faults = 0;
  const faulty = new Proxy(client, {
    get: (target, property, receiver) =>
      property !== 'send'
        ? Reflect.get(target, property, receiver)
        : async (command: unknown) => {
            if (random() < failureShare) {
              faults += 1;
              if (command instanceof TransactWriteItemsCommand) {
                const reasons = (command.input.TransactItems ?? []).map((_, index) => ({
                  Code: index === 0 ? 'TransactionConflict' : 'None',
                }));
                throw new TransactionCanceledException({
                  message: 'Transaction cancelled (injected)',
                  $metadata: {},
                  CancellationReasons: reasons,
                });
              }
              throw Object.assign(new Error('Throughput exceeded (injected)'), {
                name: 'ProvisionedThroughputExceededException',
                $retryable: { throttling: true },
              });
            }
            return target.send(command as never);
          },
  });
  try {
    const tables = await createPipelineTables(client, { reactions: false });
    // Between the events, MODIFY records the mapping's filter drops (a third of the events
    // touched again): each dead letter's stretch of the shard then holds records its batch
    // never had, and the replay must tell them apart.
    const touch = seededRandom(seed + 1);
    const touches: Promise<unknown>[] = [];
    const { operations, acknowledged } = await pushDemoWorkload({
      client,
      eventTable: tables.eventTable,
      events,
      onPushed: (pushed) => {
        for (const { eventStoreId, event } of pushed)
          if (touch() < 1 / 3)
            touches.push(
              touchEvent(
                client,
                tables.eventTable,
                `${eventStoreId}#${event.aggregateId}`,
                event.version,
              ),
            );
      },
    });
    await Promise.all(touches);
    const projection = projectionOn(faulty, tables.countsTable, 2);
    const deadLetters: FailedRecords[] = [];
    await runToTheEnd({
      client,
      streamsClient,
      tables,
      handler: (records) => projection.processRecords(records),
      onFailure: (failed) => void deadLetters.push(failed),
      maximumRetryAttempts: 1,
      filter: countingStreamFilter,
    });
    // The dead letter is where nothing vanishes: each failed batch is kept as Lambda's
    // on-failure destination would keep it (where its records are), then replayed as an
    // operator would, reading the records from the stream again through the same filter.
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tables.eventTable }));
    const replayer = projectionOn(client, tables.countsTable);
    for (const { shardId, records } of deadLetters) {
      const replay = await replayDeadLetter({
        streamsClient,
        handler: (batch) => replayer.processRecords(batch),
        deadLetter: JSON.stringify(
          lambdaFailureMessage({ shardId, streamArn: Table?.LatestStreamArn as string, records }),
        ),
        filter: countingStreamFilter,
      });
      if (replay.failedAt !== undefined || replay.lost > 0 || replay.replayed !== records.length)
        throw new Error(`the dead letter replay failed: ${JSON.stringify(replay)}`);
    }
    const deadLetter = deadLetters.flatMap(({ records }) => records);
    const verdict = await verify({
      client,
      tables,
      scenario: `${Math.round(failureShare * 100)}% of calls throttled or conflicting, ${touches.length} MODIFY records filtered out`,
      operations,
      acknowledged,
      deadLettered: deadLetter.length,
    });
    await dropTables(client, Object.values(tables));
    return { ...verdict, faults };
  } finally {
    client.destroy();
    streamsClient.destroy();
  }
};

/** Rewrites an attribute of a stored event that no reader looks at: a MODIFY record, nothing else. */
const touchEvent = (
  client: DynamoDBClient,
  tableName: string,
  partitionKey: string,
  version: number,
) =>
  client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { aggregateId: { S: partitionKey }, version: { N: String(version) } },
      UpdateExpression: 'SET chaosTouched = :touched',
      ExpressionAttributeValues: { ':touched': { BOOL: true } },
    }),
  );
