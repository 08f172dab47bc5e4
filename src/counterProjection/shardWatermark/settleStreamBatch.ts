import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { sortableSequenceNumber, type StreamRecord } from '../../imageParser/index.js';
import type { RetryOptions } from '../../shared/index.js';
import type { ClaimBatch } from '../../streamBatch/index.js';
import { failedRecordLog, type ProjectionLogger } from '../batchReport.js';
import type { Counter } from '../counter.js';
import type { FailedRecord } from '../planBatch.js';
import type { RecordSkipReason } from '../recordFates.js';
import type { PlannedIncrement } from '../writePath/index.js';
import { claimBatch, type ClaimedBatch } from './claimBatch.js';
import { inDoubt } from './inDoubt.js';
import { readRecordFacts, type RecordFacts } from './recordFacts.js';
import { readSetAside } from './setAsideRecords.js';

export interface SettleContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  retry: RetryOptions;
  counters: readonly Counter[];
  /** Where each record set aside is said, with what recovers it. */
  logger?: Pick<ProjectionLogger, 'error'>;
}

/** A stream batch once claimed: what is left to count, and what became of the rest. */
export interface SettledBatch {
  increments: PlannedIncrement[];
  skipped: Map<number, RecordSkipReason>;
  /** Records handled before: nothing done again. */
  duplicateAt: Set<number>;
  failure: { position: number; error: unknown } | undefined;
  facts: RecordFacts;
  /** A gap another runner saved in the shard's checkpoint and has not told yet (its reason). */
  untoldGap?: string | undefined;
}

interface Batch {
  records: readonly StreamRecord[];
  plan: {
    increments: PlannedIncrement[];
    skipped: Map<number, RecordSkipReason>;
    failures: FailedRecord[];
  };
  shardId: string;
  claim: ClaimBatch;
}

/**
 * Settles a stream batch of a projection with shardWatermark counters, before anything of it
 * is counted: claimed (claimBatch.ts), the records handled before are skipped, those set aside
 * (now or before) skipped, and a record an earlier delivery decided to count that fails now
 * is held (RecordInDoubt) until that delivery is known to have finished, or taken as stopped.
 */
export const settleStreamBatch = async (
  context: SettleContext,
  { records, plan, shardId, claim }: Batch,
): Promise<SettledBatch> => {
  const facts = readRecordFacts(records, firstWatermarkName(context.counters));
  if (records.length === 0) return { ...emptySettled(plan), facts }; // a gap told alone: nothing to claim
  const stop = facts.stop?.position ?? records.length;
  const claimed = await claimBatch(records, claim, {
    facts,
    failures: plan.failures,
    stop,
    target: { tableName: context.tableName, shardId, at: new Date().toISOString() },
  });
  const settled: SettledBatch = {
    increments: [],
    skipped: new Map(plan.skipped),
    duplicateAt: new Set(),
    failure: undefined,
    facts,
    untoldGap: claimed.untoldGap,
  };
  const failures = new Map(plan.failures.map((failure) => [failure.position, failure]));
  const handled = sortableSequenceNumber(claimed.handled);
  const isHandled = (position: number) =>
    handled !== undefined && (facts.sortable[position] as string) <= handled;
  const asideBefore = await readAsideBefore(context, shardId, facts, claimed, isHandled);
  const end = await sortPositions(
    context,
    { shardId, facts, claimed, failures, settled },
    {
      isHandled,
      asideBefore,
    },
  );
  settled.failure ??= failureAt(end, { records, facts, failures });
  for (const position of claimed.setAside) logSetAside(context, failures.get(position));
  settled.increments = plan.increments.filter(
    ({ position }) =>
      position < end && !settled.duplicateAt.has(position) && !settled.skipped.has(position),
  );
  return settled;
};

const emptySettled = (plan: Batch['plan']) => ({
  increments: [],
  skipped: new Map(plan.skipped),
  duplicateAt: new Set<number>(),
  failure: undefined,
});

/** A record set aside, said once, by the delivery that set it aside, with what counts it. */
const logSetAside = (context: SettleContext, failure: FailedRecord | undefined): void => {
  if (failure === undefined) return;
  const log = failedRecordLog(failure.record, { ...failure, failed: 0 });
  context.logger?.error(
    `castore-dynamodb-counter: record ${log.sequenceNumber ?? `#${failure.position}`} set aside, its shard going on; once its cause is fixed, count it with count-set-aside (projection.countSetAside())`,
    log,
  );
};

const firstWatermarkName = (counters: readonly Counter[]): string =>
  counters.find(({ idempotency }) => idempotency === 'shardWatermark')?.name ?? '';

/** The records decided before (and not handled) that were set aside: one Query over their range. */
const readAsideBefore = async (
  context: SettleContext,
  shardId: string,
  facts: RecordFacts,
  claimed: ClaimedBatch,
  isHandled: (position: number) => boolean,
): Promise<Set<string>> => {
  const open = claimed.decidedBefore.filter((position) => !isHandled(position));
  const [first, last] = [open[0], open[open.length - 1]];
  if (first === undefined || last === undefined) return new Set();
  return readSetAside(context, {
    shardId,
    from: facts.sortable[first] as string,
    to: facts.sortable[last] as string,
  });
};

interface Sorting {
  shardId: string;
  facts: RecordFacts;
  claimed: ClaimedBatch;
  failures: Map<number, FailedRecord>;
  settled: SettledBatch;
}

/** Gives each position before the claim's cut its fate; returns where the batch ends. */
const sortPositions = async (
  context: SettleContext,
  { shardId, facts, claimed, failures, settled }: Sorting,
  { isHandled, asideBefore }: { isHandled: (p: number) => boolean; asideBefore: Set<string> },
): Promise<number> => {
  for (let position = 0; position < claimed.cut; position++) {
    const sortable = facts.sortable[position] as string;
    const failure = failures.get(position);
    if (isHandled(position)) {
      if (!settled.skipped.has(position)) settled.duplicateAt.add(position);
    } else if (claimed.setAside.has(position) || asideBefore.has(sortable)) {
      settled.skipped.set(position, 'SetAside');
    } else if (failure !== undefined && !claimed.ours.has(position)) {
      const held = await inDoubt(context, {
        shardId,
        sortable,
        failure,
        decidedAt: claimed.decidedAt,
      });
      if (held !== undefined) {
        settled.failure = { position, error: held };
        return position;
      }
      settled.skipped.set(position, 'SetAside');
    }
  }
  return claimed.cut;
};

/** Why the batch ends where the claim stopped, if before its end. */
const failureAt = (
  end: number,
  {
    records,
    facts,
    failures,
  }: { records: readonly StreamRecord[]; facts: RecordFacts; failures: Map<number, FailedRecord> },
): { position: number; error: unknown } | undefined => {
  if (end >= records.length) return undefined;
  if (facts.stop?.position === end) return { position: end, error: facts.stop.error };
  return { position: end, error: failures.get(end)?.error };
};
