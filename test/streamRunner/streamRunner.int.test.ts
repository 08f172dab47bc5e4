import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record as StreamsApiRecord,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import {
  createCheckpointTable,
  StreamRunner,
  type StreamRunnerOptions,
} from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { interceptSend } from '../support/interceptSend.js';
import { waitUntil } from '../support/waitFor.js';

const {
  client: dynamoDBClient,
  streamsClient,
  uniqueTableName,
  createTestEventTable,
} = useDynamoDB();
let checkpointTableName: string;

beforeAll(async () => {
  checkpointTableName = uniqueTableName('checkpoints');
  await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
});

const aggregateAndVersion = (record: StreamsApiRecord) => ({
  aggregateId: record.dynamodb?.NewImage?.aggregateId?.S as string,
  version: Number(record.dynamodb?.NewImage?.version?.N),
});

const newEventTable = async () => {
  const tableName = await createTestEventTable();
  return {
    tableName,
    adapter: new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient }),
  };
};

const pushEvents = async (
  adapter: DynamoDBSingleTableEventStorageAdapter,
  { aggregates, versions }: { aggregates: number; versions: number },
) => {
  for (let version = 1; version <= versions; version++) {
    await Promise.all(
      Array.from({ length: aggregates }, (_, index) =>
        adapter.pushEvent({ aggregateId: `a${index}`, version, type: 'T' }, { eventStoreId: 's' }),
      ),
    );
  }
};

const runner = (
  tableName: string,
  options: Partial<StreamRunnerOptions> & Pick<StreamRunnerOptions, 'handler'>,
) =>
  new StreamRunner({
    dynamoDBClient,
    streamsClient,
    tableName,
    checkpointTableName,
    consumerName: tableName,
    pollIntervalMs: 20,
    stopOnSignals: false,
    ...options,
  });

describe('StreamRunner on DynamoDB Local', () => {
  it('hands every record of a 5,000-event stream over once, in order per aggregate, and resumes from its checkpoint', async () => {
    const { tableName, adapter } = await newEventTable();
    await pushEvents(adapter, { aggregates: 50, versions: 100 });
    const handled: StreamsApiRecord[] = [];
    const batchSizes: number[] = [];
    const progress = await runner(tableName, {
      batchSize: 250,
      handler: async (records) => {
        batchSizes.push(records.length);
        handled.push(...records);
      },
    }).run({ untilCaughtUp: true });

    expect(handled).toHaveLength(5_000);
    expect(progress).toMatchObject({
      read: 5_000,
      committed: 5_000,
      deadLettered: 0,
      caughtUp: true,
    });
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(250);
    const versionsByAggregate = new Map<string, number[]>();
    for (const record of handled) {
      const { aggregateId, version } = aggregateAndVersion(record);
      versionsByAggregate.set(aggregateId, [
        ...(versionsByAggregate.get(aggregateId) ?? []),
        version,
      ]);
    }
    expect(versionsByAggregate.size).toBe(50);
    for (const versions of versionsByAggregate.values())
      expect(versions).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    // A new run of the same consumer starts after its checkpoint: only new records.
    await adapter.pushEvent({ aggregateId: 'late', version: 1, type: 'T' }, { eventStoreId: 's' });
    const second: StreamsApiRecord[] = [];
    await runner(tableName, { handler: async (records) => void second.push(...records) }).run({
      untilCaughtUp: true,
    });
    expect(second.map(aggregateAndVersion)).toEqual([{ aggregateId: 's#late', version: 1 }]);
  });

  it('does not lose the records written after it started on an empty stream (DynamoDB Local’s empty-shard iterator fault)', async () => {
    const { tableName, adapter } = await newEventTable();
    const handled: StreamsApiRecord[] = [];
    // The signal that the runner reads the empty shard: its first GetRecords answered.
    let emptyShardRead!: () => void;
    const readingEmptyShard = new Promise<void>((resolve) => (emptyShardRead = resolve));
    const watchedStreamsClient = interceptSend(
      streamsClient as unknown as DynamoDBClient,
      async (command, send) => {
        const answer = await send(command);
        if (command instanceof GetRecordsCommand) emptyShardRead();
        return answer;
      },
    ) as unknown as DynamoDBStreamsClient;
    const streamRunner = runner(tableName, {
      streamsClient: watchedStreamsClient,
      handler: async (records) => void handled.push(...records),
    });
    const running = streamRunner.run();
    await readingEmptyShard;
    await pushEvents(adapter, { aggregates: 20, versions: 5 });
    await waitUntil(() => handled.length >= 100, {
      what: 'the 100 records pushed after the start',
    });
    streamRunner.stop();
    await running;
    expect(
      handled
        .map(aggregateAndVersion)
        .sort((a, b) => a.aggregateId.localeCompare(b.aggregateId) || a.version - b.version),
    ).toEqual(
      Array.from({ length: 20 }, (_, a) =>
        Array.from({ length: 5 }, (_, v) => ({ aggregateId: `s#a${a}`, version: v + 1 })),
      )
        .flat()
        .sort((a, b) => a.aggregateId.localeCompare(b.aggregateId) || a.version - b.version),
    );
  });

  it('retries a failing record, bisects, then hands exactly that record to the dead letter and goes on', async () => {
    const { tableName, adapter } = await newEventTable();
    await pushEvents(adapter, { aggregates: 1, versions: 40 });
    const poison = 23;
    const attemptsOnPoison: number[] = [];
    const committed: number[] = [];
    const deadLettered: StreamsApiRecord[][] = [];
    const told: string[] = [];
    let deadShard = '';
    const progress = await runner(tableName, {
      batchSize: 16,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 2,
      retryDelay: { baseDelayMs: 1, maxDelayMs: 5 },
      handler: async (records, { shardId, afterGap }) => {
        // The runner tells the handler of a dead letter at once, in an empty batch.
        if (records.length === 0) {
          told.push(`${afterGap?.reason} of ${shardId} after ${deadLettered.length} dead letter`);
          return undefined;
        }
        // Commits in order up to the poison record, throws if the batch starts with it.
        const index = records.findIndex((r) => aggregateAndVersion(r).version === poison);
        if (index === 0) {
          attemptsOnPoison.push(records.length);
          throw new Error('poison');
        }
        const done = index === -1 ? records : records.slice(0, index);
        committed.push(...done.map((r) => aggregateAndVersion(r).version));
        return index === -1
          ? undefined
          : {
              batchItemFailures: [
                { itemIdentifier: records[index]?.dynamodb?.SequenceNumber as string },
              ],
            };
      },
      onFailure: ({ shardId, records }) => {
        deadShard = shardId;
        deadLettered.push(records);
      },
    }).run({ untilCaughtUp: true });

    expect(
      deadLettered.map((records) => records.map((r) => aggregateAndVersion(r).version)),
    ).toEqual([[poison]]);
    expect(committed).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1).filter((v) => v !== poison),
    );
    expect(told).toEqual([`RecordsDeadLettered of ${deadShard} after 1 dead letter`]);
    expect(attemptsOnPoison.at(-1)).toBe(1); // bisected down to the record alone
    expect(attemptsOnPoison.filter((size) => size === 1).length).toBe(3); // first try + 2 retries
    expect(progress).toMatchObject({ committed: 39, deadLettered: 1 });
  });

  it('holds the shard until the handler takes the telling of a dead letter: nothing after it is handed before', async () => {
    const { tableName, adapter } = await newEventTable();
    await pushEvents(adapter, { aggregates: 1, versions: 12 });
    const poison = 5;
    const journal: string[] = [];
    let refusals = 0;
    await runner(tableName, {
      batchSize: 4,
      maximumRetryAttempts: 0,
      retryDelay: { baseDelayMs: 1, maxDelayMs: 5 },
      handler: async (records, { afterGap }) => {
        if (records.length === 0) {
          journal.push(`${refusals < 2 ? 'refused' : 'took'} ${afterGap?.reason}`);
          if (refusals++ < 2) throw new Error('the counts table is unreachable');
          return undefined;
        }
        const versions = records.map((r) => aggregateAndVersion(r).version);
        journal.push(versions.join(','));
        if (versions.includes(poison)) throw new Error('poison');
        return undefined;
      },
      onFailure: () => undefined,
    }).run({ untilCaughtUp: true });
    expect(journal).toEqual([
      '1,2,3,4',
      '5,6,7,8',
      'refused RecordsDeadLettered',
      'refused RecordsDeadLettered',
      'took RecordsDeadLettered',
      '9,10,11,12',
    ]);
  });

  it('stops rather than skip records that still fail when no dead letter is given', async () => {
    const { tableName, adapter } = await newEventTable();
    await pushEvents(adapter, { aggregates: 1, versions: 3 });
    const run = runner(tableName, {
      maximumRetryAttempts: 1,
      retryDelay: { baseDelayMs: 1, maxDelayMs: 1 },
      handler: async () => Promise.reject(new Error('down')),
    }).run();
    await expect(run).rejects.toMatchObject({ code: 'UndeliverableRecords' });
  });

  it('stops after the batch in flight, and its checkpoint covers exactly what was handled', async () => {
    const { tableName, adapter } = await newEventTable();
    await pushEvents(adapter, { aggregates: 1, versions: 30 });
    const handled: number[] = [];
    const streamRunner = runner(tableName, {
      batchSize: 5,
      handler: async (records) => {
        if (handled.length === 10) streamRunner.stop();
        await new Promise((resolve) => setTimeout(resolve, 20));
        handled.push(...records.map((r) => aggregateAndVersion(r).version));
      },
    });
    await streamRunner.run();
    expect(handled).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const rest: number[] = [];
    await runner(tableName, {
      handler: async (records) =>
        void rest.push(...records.map((r) => aggregateAndVersion(r).version)),
    }).run({ untilCaughtUp: true });
    expect(rest).toEqual(Array.from({ length: 15 }, (_, i) => i + 16));
  });
});
