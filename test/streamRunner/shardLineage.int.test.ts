import {
  type _Record as StreamsApiRecord,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';

import { createCheckpointTable, StreamRunner } from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';

const { client: dynamoDBClient, uniqueTableName, createTestEventTable } = useDynamoDB();
let tableName: string;
let checkpointTableName: string;

beforeAll(async () => {
  tableName = await createTestEventTable();
  checkpointTableName = uniqueTableName('checkpoints');
  await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
});

const record = (shard: string, index: number): StreamsApiRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: `${shard}-${String(index).padStart(3, '0')}`,
    // Written index minutes after midnight: the runner's clock (01:00) gives each shard's lag.
    ApproximateCreationDateTime: new Date(Date.UTC(2026, 0, 1, 0, index)),
    NewImage: { id: { S: `${shard}${index}` } },
  },
});

/**
 * A fake Streams API serving a closed parent shard split into two open children, the
 * case DynamoDB Local never produces. Each GetRecords page holds 2 records; closed shards
 * end without a NextShardIterator.
 */
const fakeStreams = () => {
  const shards = {
    parent: {
      records: [1, 2, 3, 4, 5].map((i) => record('parent', i)),
      closed: true,
      parent: undefined,
    },
    left: { records: [1, 2, 3].map((i) => record('left', i)), closed: false, parent: 'parent' },
    right: { records: [1, 2].map((i) => record('right', i)), closed: true, parent: 'parent' },
  } as const;
  const iteratorStarts: string[] = [];
  const client = {
    send: async (command: unknown) => {
      if (command instanceof DescribeStreamCommand) {
        // Children listed before their parent: the order must not matter.
        return {
          StreamDescription: {
            Shards: (['right', 'left', 'parent'] as const).map((id) => ({
              ShardId: id,
              ...(shards[id].parent !== undefined ? { ParentShardId: shards[id].parent } : {}),
            })),
          },
        };
      }
      if (command instanceof GetShardIteratorCommand) {
        const { ShardId, ShardIteratorType, SequenceNumber } = command.input;
        iteratorStarts.push(
          `${ShardId}:${ShardIteratorType}${SequenceNumber !== undefined ? `:${SequenceNumber}` : ''}`,
        );
        const all = shards[ShardId as keyof typeof shards].records;
        const start =
          SequenceNumber === undefined
            ? 0
            : all.findIndex((r) => r.dynamodb?.SequenceNumber === SequenceNumber) + 1;
        return { ShardIterator: JSON.stringify({ shard: ShardId, position: start }) };
      }
      if (command instanceof GetRecordsCommand) {
        const { shard, position } = JSON.parse(command.input.ShardIterator as string) as {
          shard: keyof typeof shards;
          position: number;
        };
        const { records, closed } = shards[shard];
        const page = records.slice(position, position + 2);
        const next = position + page.length;
        const ended = closed && next >= records.length;
        return {
          Records: page,
          ...(ended ? {} : { NextShardIterator: JSON.stringify({ shard, position: next }) }),
        };
      }
      throw new Error(`unexpected command ${String(command)}`);
    },
  } as unknown as DynamoDBStreamsClient;
  return { client, iteratorStarts };
};

describe('shard lineage (fake Streams client: DynamoDB Local never splits shards)', () => {
  it('reads a parent to its end before its children, from their start, and remembers finished shards', async () => {
    const handled: string[] = [];
    const { client, iteratorStarts } = fakeStreams();
    const options = {
      dynamoDBClient,
      streamsClient: client,
      tableName,
      checkpointTableName,
      consumerName: 'lineage',
      clock: () => new Date(Date.UTC(2026, 0, 1, 1, 0)),
      pollIntervalMs: 5,
      stopOnSignals: false,
      handler: async (records: StreamsApiRecord[]) =>
        void handled.push(...records.map((r) => r.dynamodb?.SequenceNumber as string)),
    };
    const progress = await new StreamRunner(options).run({ untilCaughtUp: true });

    const firstChildRecord = handled.findIndex((id) => !id.startsWith('parent'));
    expect(handled.slice(0, firstChildRecord)).toEqual([
      'parent-001',
      'parent-002',
      'parent-003',
      'parent-004',
      'parent-005',
    ]);
    expect(handled.filter((id) => id.startsWith('left'))).toEqual([
      'left-001',
      'left-002',
      'left-003',
    ]);
    expect(handled.filter((id) => id.startsWith('right'))).toEqual(['right-001', 'right-002']);
    expect(iteratorStarts.sort()).toEqual([
      'left:TRIM_HORIZON',
      'parent:TRIM_HORIZON',
      'right:TRIM_HORIZON',
    ]);
    expect(progress).toMatchObject({ finishedShards: 2, committed: 10 });
    // Only the open child is still read: the finished shards' lag is gone, and the child,
    // read to its end, has nothing waiting (its last record was handled 57 minutes late).
    expect(progress.lagMsByShard).toEqual({ left: 0 });

    // Restarted: finished shards are not read again; the open child resumes after its checkpoint.
    const again = fakeStreams();
    const handledAgain: string[] = [];
    await new StreamRunner({
      ...options,
      streamsClient: again.client,
      handler: async (records) =>
        void handledAgain.push(...records.map((r) => r.dynamodb?.SequenceNumber as string)),
    }).run({ untilCaughtUp: true });
    expect(handledAgain).toEqual([]);
    expect(again.iteratorStarts).toEqual(['left:AFTER_SEQUENCE_NUMBER:left-003']);
  });
});
