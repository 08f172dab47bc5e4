import { recordCreatedAtMs, type StreamRecord } from '../imageParser/index.js';
import { CounterError } from '../shared/index.js';
import { failedFrom, processItemsInOrder } from '../streamBatch/index.js';
import { readTotalWrite, type TotalWrite } from './countsRecord.js';
import {
  crossedValues,
  type Crossing,
  crossingIdempotencyKey,
  type CrossingLimits,
} from './crossings.js';
import type { Reaction } from './reaction.js';

export interface ReactionStats {
  records: number;
  /** Records of a total of a counter these reactions watch. */
  totals: number;
  /** Records with nothing to react to: windows, refs, removed items, counters not watched. */
  skipped: number;
  /** Thresholds, floors and targets reached by the records handled. */
  crossings: number;
  /** Reactions that acted now. */
  fired: number;
  /** Reactions that had acted before (the event already pushed): a redelivery, a replay. */
  alreadyFired: number;
  /** The failing record and every record after it, to be delivered again. */
  failed: number;
}

export interface ProcessReactionsResult {
  /** The first record not handled (Lambda retries from it), as the counting handler reports it. */
  batchItemFailures: { itemIdentifier: string }[];
  stats: ReactionStats;
  error?: unknown;
}

export interface ReactionsContext {
  limitsByCounter: ReadonlyMap<string, CrossingLimits>;
  react: Reaction;
  /** Items reacted to at once; each item's records stay in stream order. */
  concurrency: number;
}

type Outcome =
  { skipped: true } | { skipped: false; fired: number; alreadyFired: number; crossings: number };

/**
 * Reacts to a batch of the counts table's stream. Records of one item are handled in
 * order, items side by side. A failure fails its record and every later one of the batch:
 * those already handled are redelivered too, which is harmless (a crossing fires once).
 */
export const processReactions = async (
  records: readonly StreamRecord[],
  context: ReactionsContext,
): Promise<ProcessReactionsResult> => {
  const stats: ReactionStats = {
    records: records.length,
    totals: 0,
    skipped: 0,
    crossings: 0,
    fired: 0,
    alreadyFired: 0,
    failed: 0,
  };
  const { outcomes, failure } = await processItemsInOrder(records, {
    concurrency: context.concurrency,
    handle: (record) => reactTo(record, context),
  });
  for (const outcome of outcomes) addOutcome(stats, outcome);
  if (failure === undefined) return { batchItemFailures: [], stats };
  stats.failed = records.length - failure.position;
  return {
    batchItemFailures: failedFrom(records, failure.position),
    stats,
    error: failure.error,
  };
};

const addOutcome = (stats: ReactionStats, outcome: Outcome) => {
  if (outcome.skipped) {
    stats.skipped += 1;
    return;
  }
  stats.totals += 1;
  stats.crossings += outcome.crossings;
  stats.fired += outcome.fired;
  stats.alreadyFired += outcome.alreadyFired;
};

/** A record's outcome; throws InvalidCountsRecord or ReactionFailed (which fail the record). */
const reactTo = async (record: StreamRecord, context: ReactionsContext): Promise<Outcome> => {
  const write = readTotalWrite(record);
  const limits =
    typeof write === 'string' ? undefined : context.limitsByCounter.get(write.counterName);
  if (typeof write === 'string' || limits === undefined) return { skipped: true };
  const outcome = { skipped: false as const, fired: 0, alreadyFired: 0, crossings: 0 };
  for (const crossing of crossingsOf(write, limits, record)) {
    outcome.crossings += 1;
    try {
      const result = await context.react(crossing);
      if (result === 'alreadyFired') outcome.alreadyFired += 1;
      else outcome.fired += 1;
    } catch (cause) {
      throw new CounterError('ReactionFailed', { idempotencyKey: crossing.idempotencyKey, cause });
    }
  }
  return outcome;
};

const crossingsOf = (
  write: TotalWrite,
  limits: CrossingLimits,
  record: StreamRecord,
): Crossing[] => {
  const createdAt = recordCreatedAtMs(record);
  return crossedValues(limits, write.before, write.after).map(({ kind, value }) => ({
    counterName: write.counterName,
    key: write.key,
    kind,
    value,
    count: Number(write.after.count),
    idempotencyKey: crossingIdempotencyKey({
      counterName: write.counterName,
      key: write.key,
      kind,
      value,
    }),
    ...(createdAt !== undefined ? { reachedAt: new Date(createdAt).toISOString() } : {}),
  }));
};
