import type { StreamRecord } from '../../imageParser/index.js';
import type { RebuildMark } from '../countsItems/index.js';
import type { BatchPlan } from '../planBatch.js';
import type { RecordSkipReason } from '../recordFates.js';
import type { PlannedIncrement } from '../writePath/index.js';
import { markNotExact } from './notExactMarks.js';
import { readRebuildMarks } from './rebuildMarks.js';
import type { RecordFacts } from './recordFacts.js';
import { type SettleContext, settleStreamBatch } from './settleStreamBatch.js';
import { type Delivery, isWatermarkCounter } from './watermarkCounters.js';

/** A batch of a projection with shardWatermark counters, routed: what goes through refs, what through marks. */
export interface RoutedBatch {
  /** Increments counted through refs: refs counters', and shardWatermark counters' under a rebuild. */
  refs: PlannedIncrement[];
  /** Increments counted through shard marks (commitMarks.ts), with their records' facts. */
  marks: PlannedIncrement[];
  facts: RecordFacts | undefined;
  /** The rebuild each shardWatermark counter's marks are written under (its id, once ended). */
  rebuildIds: Map<string, string>;
  skipped: Map<number, RecordSkipReason>;
  duplicateAt: Set<number>;
  failure: { position: number; error: unknown } | undefined;
}

const GAP_REASONS = {
  RecordsDeadLettered: (shardId: string) =>
    `records of shard ${shardId} failed every retry and went to the runner's dead letter (onFailure): the marks have passed them`,
  trimmed: (shardId: string, reason: string) =>
    `records of shard ${shardId} were trimmed by the stream's retention before they were read (${reason})`,
};

/**
 * What a delivery means for shardWatermark counters, before anything is counted (the one
 * seam between the counting path and the marks): a stream batch is claimed and settled
 * (settleStreamBatch.ts), after a gap they are marked not exact; a replayed dead letter marks
 * those it touches and drops their increments (the marks have passed its records); a rebuild
 * counts them through refs under its mark. Where a rebuild marked a counter, the records it
 * may have counted go through refs, the later ones through marks.
 */
export const routeBatch = async (
  context: SettleContext,
  { records, plan, batch }: { records: readonly StreamRecord[]; plan: BatchPlan; batch: Delivery },
): Promise<RoutedBatch> => {
  const rebuilds = await readRebuildMarks(context, context.counters);
  const routed: RoutedBatch = {
    refs: [],
    marks: [],
    facts: undefined,
    rebuildIds: new Map(),
    skipped: new Map(plan.skipped),
    duplicateAt: new Set(),
    failure: plan.failures[0],
  };
  if (batch.delivery === 'replay') return routeReplay(context, plan, routed, batch.shardId);
  let increments = plan.increments;
  if (batch.delivery === 'stream') {
    if (batch.afterGap !== undefined)
      await markAfterGap(context, batch.shardId, batch.afterGap.reason);
    const settled = await settleStreamBatch(context, {
      records,
      plan,
      shardId: batch.shardId,
      claim: batch.claim as NonNullable<typeof batch.claim>, // requireShard checked it
    });
    // A gap another runner saved and could not tell yet (a deployment's old task, stopped):
    // these records come after it, so it is as if it were told here, before they count.
    if (settled.untoldGap !== undefined)
      await markAfterGap(context, batch.shardId, settled.untoldGap);
    routed.skipped = settled.skipped;
    routed.duplicateAt = settled.duplicateAt;
    routed.failure = settled.failure;
    routed.facts = settled.facts;
    increments = settled.increments;
  }
  splitByRebuild(routed, increments, { rebuilds, stream: batch.delivery === 'stream' });
  return routed;
};

/** After a gap of the shard, every shardWatermark counter may miss its records: not exact. */
const markAfterGap = (context: SettleContext, shardId: string, reason: string) =>
  markNotExact(
    context,
    context.counters,
    reason === 'RecordsDeadLettered'
      ? GAP_REASONS.RecordsDeadLettered(shardId)
      : GAP_REASONS.trimmed(shardId, reason),
  );

/** A replayed dead letter: its records' marks were passed; refs counters count them as usual. */
const routeReplay = async (
  context: SettleContext,
  plan: BatchPlan,
  routed: RoutedBatch,
  shardId: string,
): Promise<RoutedBatch> => {
  const touched = plan.increments.filter(({ counter }) => isWatermarkCounter(counter));
  await markNotExact(
    context,
    touched.map(({ counter }) => counter),
    `a dead letter of shard ${shardId} was replayed after the shard's marks had passed it`,
  );
  routed.refs = plan.increments.filter(({ counter }) => !isWatermarkCounter(counter));
  const keptAt = new Set(routed.refs.map(({ position }) => position));
  for (const { position } of touched)
    if (!keptAt.has(position) && !routed.skipped.has(position))
      routed.skipped.set(position, 'NotExact');
  return routed;
};

/** Sends each increment its way: refs, or marks; under a rebuild, by when its record was written. */
const splitByRebuild = (
  routed: RoutedBatch,
  increments: PlannedIncrement[],
  { rebuilds, stream }: { rebuilds: Map<string, RebuildMark>; stream: boolean },
): void => {
  for (const increment of increments) {
    if (!isWatermarkCounter(increment.counter)) {
      routed.refs.push(increment);
      continue;
    }
    const mark = rebuilds.get(increment.counter.name);
    if (mark !== undefined && mark.refsBefore !== 'pending')
      routed.rebuildIds.set(increment.counter.name, mark.rebuildId);
    const createdAt = routed.facts?.createdAt[increment.position];
    const throughRefs =
      !stream ||
      mark?.refsBefore === 'pending' ||
      (mark !== undefined && (createdAt as number) * 1000 < mark.refsBefore);
    if (!throughRefs) routed.marks.push(increment);
    else
      routed.refs.push(
        mark === undefined ? increment : { ...increment, rebuildId: mark.rebuildId },
      );
  }
};
