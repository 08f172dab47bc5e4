import { randomUUID } from 'node:crypto';

import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import { isAwsError } from '../../shared/index.js';
import { CounterError } from '../../shared/index.js';
import type { Counter } from '../counter.js';
import { rebuildItem, type RebuildMark } from '../countsItems/index.js';
import { anyPartitionStartingWith, queryPartition } from '../readPages.js';
import { isWatermarkCounter } from './watermarkCounters.js';

// Rebuilding shardWatermark counters into a fresh counts table (docs/counters.md): the
// rebuild counts through refs; the live stream counts through refs what the rebuild may
// have counted (records written before the rebuild ended, with a margin), the rest through
// shard marks. The mark in the table (rebuildItem) says which is which, and its id, written
// on every item either writes, makes a batch that had not seen the mark fail rather than
// count an event the rebuild counts too (countsItems/countGuard.ts, watermarkedUpdate.ts).

interface TableContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
}

/** Records written up to this long after the rebuild's scan ended still go through refs (clock skew). */
export const REBUILD_MARGIN_MS = 5 * 60_000;

/** The rebuild marks of the table (one Query), by counter: none for a counter never rebuilt here. */
export const readRebuildMarks = async (
  context: TableContext,
  counters: readonly Counter[],
): Promise<Map<string, RebuildMark>> => {
  const marks = new Map<string, RebuildMark>();
  if (!counters.some(isWatermarkCounter)) return marks;
  for (const item of await queryPartition(context, { pk: rebuildItem.partition })) {
    const mark = rebuildItem.decode(item);
    if (mark !== undefined) marks.set(mark.counterName, mark);
  }
  return marks;
};

const refusal = (counterName: string, detail: string) =>
  new CounterError('WatermarkRefused', { counterName, setting: 'Rebuild', detail });

/**
 * Marks each shardWatermark counter as being rebuilt (the stream then counts all its
 * records through refs). Refuses a counter this table counted before or rebuilt already:
 * its marks have counted records that the rebuild would count again. A rebuild that
 * stopped half-way (still pending) may run again, under the same mark.
 */
export const beginWatermarkRebuild = async (
  context: TableContext,
  counters: readonly Counter[],
): Promise<Map<string, RebuildMark>> => {
  const marks = await readRebuildMarks(context, counters);
  for (const { name } of counters.filter(isWatermarkCounter)) {
    const mark = marks.get(name);
    if (mark?.refsBefore === 'pending') continue;
    if (mark !== undefined)
      throw refusal(
        name,
        'it was rebuilt into this counts table already; rebuild into a fresh one.',
      );
    if (await anyPartitionStartingWith(context, [`T#${name}#`, `W#${name}#`]))
      throw refusal(
        name,
        'this counts table already holds its counts: rebuild into a fresh counts table, then switch to it.',
      );
    const started = { counterName: name, rebuildId: randomUUID(), refsBefore: 'pending' as const };
    try {
      await context.dynamoDBClient.send(
        new PutItemCommand(rebuildItem.start({ tableName: context.tableName, ...started })),
      );
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      throw refusal(name, 'another rebuild marked it at the same time.');
    }
    marks.set(name, started);
  }
  return marks;
};

/** The rebuild done: records written from `refsBefore` on are the marks'. */
export const endWatermarkRebuild = async (
  context: TableContext,
  counters: readonly Counter[],
  refsBefore: number,
): Promise<void> => {
  for (const { name } of counters.filter(isWatermarkCounter))
    await context.dynamoDBClient.send(
      new UpdateItemCommand(
        rebuildItem.end({ tableName: context.tableName, counterName: name, refsBefore }),
      ),
    );
};
