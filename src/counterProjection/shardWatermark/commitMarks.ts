import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { mapWithConcurrency, type RetryOptions } from '../../shared/index.js';
import type { Counter } from '../counter.js';
import { watermarkedUpdate } from '../countsItems/index.js';
import type { CommitBatchOutcome } from '../writePath/index.js';
import { failAt, type PlannedIncrement } from '../writePath/index.js';
import { forgetStaleMarks } from './forgetMarks.js';

// An item with this few attributes has at most a few shards' marks: nothing to forget yet.
const FEW_ATTRIBUTES = 12;
import { groupMarkRuns, type MarkRun, runUpdate } from './markRuns.js';
import { markNotExact } from './notExactMarks.js';
import type { RecordFacts } from './recordFacts.js';
import { type Refusal, refusalOf } from './refusals.js';
import { sendMarkUpdate } from './sendMarkUpdate.js';

export interface CommitMarksContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  retry: RetryOptions;
  concurrency: number;
  counters: readonly Counter[];
}

/** Where the marks' increments go and what their records are. */
export interface MarkBatch {
  increments: PlannedIncrement[];
  facts: RecordFacts;
  shardId: string;
  rebuildIds: ReadonlyMap<string, string>;
}

type Tally = { counted: number; duplicates: number; transactions: number; retries: number };
type MarksOutcome = CommitBatchOutcome & { notExactAt: Set<number>; counted: Uint8Array };

/**
 * Counts a batch's increments through shard marks: one conditional UpdateItem per counts
 * item (a key's total, each bucket), items side by side, none waiting for another. A
 * position is counted when one of its increments was applied, duplicate when each was in its
 * item before; a failed item fails the batch from its first record, which is delivered again.
 */
export const commitMarks = async (
  context: CommitMarksContext,
  batch: MarkBatch,
  tally: Tally,
): Promise<CommitBatchOutcome & { notExactAt: Set<number> }> => {
  const outcome: MarksOutcome = {
    countedAt: new Set<number>(),
    duplicateAt: new Set<number>(),
    notExactAt: new Set<number>(),
    // A record's increment is in several items (its total, its buckets): said counted once.
    counted: new Uint8Array(batch.facts.sortable.length),
  };
  // Single-item writes on distinct items: more of them in flight than transactions.
  const inFlight = Math.min(64, context.concurrency * 4);
  await mapWithConcurrency(groupMarkRuns(batch.increments), inFlight, (run) =>
    writeRun(context, { batch, run, outcome, tally }).catch((error: unknown) =>
      failAt(outcome, (run.increments[0] as PlannedIncrement).position, error),
    ),
  );
  return outcome;
};

/** Writes one item's run until it is applied, its increments found in it, or it fails. */
const writeRun = async (
  context: CommitMarksContext,
  {
    batch,
    run,
    outcome,
    tally,
  }: { batch: MarkBatch; run: MarkRun; outcome: MarksOutcome; tally: Tally },
): Promise<void> => {
  let pending = run.increments;
  while (pending.length > 0) {
    // Field by field: `{ ...batch, more }` costs a microsecond in Node 20's V8, once per item.
    const update = runUpdate(run, pending, {
      facts: batch.facts,
      shardId: batch.shardId,
      tableName: context.tableName,
      rebuildId: batch.rebuildIds.get(run.counter.name),
    });
    const answer = await sendMarkUpdate(context, watermarkedUpdate(update), tally);
    if (answer.applied) {
      tally.counted += pending.length;
      for (const { position } of pending)
        if (outcome.counted[position] === 0) {
          outcome.counted[position] = 1;
          outcome.countedAt.add(position);
        }
      if (answer.item !== undefined && Object.keys(answer.item).length > FEW_ATTRIBUTES)
        await forgetStaleMarks(context, {
          itemKey: run.itemKey,
          item: answer.item,
          shardId: batch.shardId,
          newestCreatedAt: update.lastCreatedAt,
        });
      return;
    }
    pending = await settleRefusal(
      context,
      { batch, run, pending, outcome, tally },
      refusalOf(answer.item, {
        shardId: batch.shardId,
        first: BigInt(update.first),
        rebuildId: update.rebuildId,
        oldestCreatedAt: update.oldestCreatedAt,
      }),
    );
  }
};

/** The increments left once a refusal is read: those already in the item, or too old for it, dropped. */
const settleRefusal = async (
  context: CommitMarksContext,
  {
    batch,
    run,
    pending,
    outcome,
    tally,
  }: {
    batch: MarkBatch;
    run: MarkRun;
    pending: PlannedIncrement[];
    outcome: MarksOutcome;
    tally: Tally;
  },
  refusal: Refusal,
): Promise<PlannedIncrement[]> => {
  if (refusal.kind === 'applied') {
    const [done, left] = split(
      pending,
      (i) => BigInt(batch.facts.sortable[i.position] as string) <= refusal.through,
    );
    tally.duplicates += done.length;
    for (const { position } of done) outcome.duplicateAt.add(position);
    return left;
  }
  if (refusal.kind === 'tooOld') {
    const [old, left] = split(
      pending,
      (i) => (batch.facts.createdAt[i.position] as number) <= refusal.floor,
    );
    await markNotExact(
      context,
      [run.counter],
      `records of shard ${batch.shardId} came after the marks of their time were forgotten (created at or before ${new Date(refusal.floor * 1000).toISOString()}, past the stream's retention)`,
    );
    for (const { position } of old) outcome.notExactAt.add(position);
    return left;
  }
  throw refusal.error(run);
};

const split = <T>(items: T[], predicate: (item: T) => boolean): [T[], T[]] => {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (predicate(item) ? yes : no).push(item);
  return [yes, no];
};
