import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import {
  recordCreatedAtMs,
  type StreamRecord,
  type StreamsApiRecord,
} from '../imageParser/index.js';
import { CounterError, isAwsError } from '../shared/index.js';
import type { Counter } from './counter.js';
import { rebuildItem, type RefsBefore } from './countsItems/index.js';
import type { ProcessRecordsResult, ProcessRecordsStats } from './processRecordsResult.js';
import { anyPartitionStartingWith, queryPartition } from './readPages.js';
import { rebuildCounts, type RebuildOptions } from './rebuild.js';

// Rebuilding shardWatermark counters into a fresh counts table (docs/counters.md): the
// rebuild counts through refs; the live stream counts through refs what the rebuild may
// have counted (records written before the rebuild ended, with a margin), the rest through
// watermarks. The mark in the table (rebuildItem) says which is which.

interface TableContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
}

/** Records written up to this long after the rebuild's scan ended still go through refs (clock skew). */
export const REBUILD_MARGIN_MS = 5 * 60_000;

const watermarkCountersOf = (counters: readonly Counter[]) =>
  counters.filter(({ idempotency }) => idempotency === 'shardWatermark');

/**
 * Marks each shardWatermark counter as being rebuilt (the stream then counts all its
 * records through refs). Refuses a counter this table counted before or rebuilt already:
 * its watermarks have counted records that the rebuild would count again. A rebuild that
 * stopped half-way (still pending) may run again.
 */
export const beginWatermarkRebuild = async (
  context: TableContext,
  counters: readonly Counter[],
): Promise<void> => {
  const marks = await readRebuildMarks(context, counters);
  for (const { name } of watermarkCountersOf(counters)) {
    if (marks.get(name) === 'pending') continue;
    const refuse = (detail: string): never => {
      throw new CounterError('WatermarkRefused', { counterName: name, setting: 'Rebuild', detail });
    };
    if (marks.has(name))
      refuse('it was rebuilt into this counts table already; rebuild into a fresh one.');
    if (await anyPartitionStartingWith(context, [`T#${name}#`, `M#${name}#`]))
      refuse(
        'this counts table already holds its counts: rebuild into a fresh counts table, then switch to it.',
      );
    try {
      await context.dynamoDBClient.send(
        new PutItemCommand(rebuildItem.start({ tableName: context.tableName, counterName: name })),
      );
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      refuse('another rebuild marked it at the same time.');
    }
  }
};

/** The rebuild done: records written from `refsBefore` on are the watermarks'. */
export const endWatermarkRebuild = async (
  context: TableContext,
  counters: readonly Counter[],
  refsBefore: number,
): Promise<void> => {
  for (const { name } of watermarkCountersOf(counters))
    await context.dynamoDBClient.send(
      new UpdateItemCommand(
        rebuildItem.end({ tableName: context.tableName, counterName: name, refsBefore }),
      ),
    );
};

/** The rebuild marks of the table (one Query): none for a counter never rebuilt here. */
export const readRebuildMarks = async (
  context: TableContext,
  counters: readonly Counter[],
): Promise<Map<string, RefsBefore>> => {
  const marks = new Map<string, RefsBefore>();
  if (watermarkCountersOf(counters).length === 0) return marks;
  for (const item of await queryPartition(context, { pk: rebuildItem.partition })) {
    const mark = rebuildItem.decode(item);
    if (mark !== undefined) marks.set(mark.counterName, mark.refsBefore);
  }
  return marks;
};

/**
 * Whether a rebuilt counter counts this stream record through refs. A record without its
 * creation time cannot be placed: WatermarkRefused (the record fails, never guessed).
 */
export const countsThroughRefs = (
  marks: ReadonlyMap<string, RefsBefore>,
  counter: Counter,
  record: StreamRecord,
): boolean => {
  const refsBefore = marks.get(counter.name);
  if (refsBefore === undefined) return false;
  if (refsBefore === 'pending') return true;
  const createdAt = recordCreatedAtMs(record);
  if (createdAt === undefined)
    throw new CounterError('WatermarkRefused', {
      counterName: counter.name,
      setting: 'Rebuild',
      detail:
        'the record has no ApproximateCreationDateTime, which tells whether the rebuild counted it.',
    });
  return createdAt < refsBefore;
};

/**
 * A rebuild: refs counters are counted beside the live projection (their refs make each
 * event count once); shardWatermark counters are marked first (refused where the table
 * counted them already) and their mark says, once the scan is done, from when on the live
 * stream's records are the watermarks'.
 */
export const rebuildWithMarks = async (
  context: TableContext & { counters: readonly Counter[] },
  options: RebuildOptions,
  countThroughRefs: (records: StreamsApiRecord[]) => Promise<ProcessRecordsResult>,
): Promise<ProcessRecordsStats> => {
  await beginWatermarkRebuild(context, context.counters);
  const stats = await rebuildCounts(options, countThroughRefs);
  await endWatermarkRebuild(context, context.counters, Date.now() + REBUILD_MARGIN_MS);
  return stats;
};
