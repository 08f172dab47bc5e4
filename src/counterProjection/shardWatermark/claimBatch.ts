import {
  readRecordFields,
  sortableSequenceNumber,
  type StreamRecord,
} from '../../imageParser/index.js';
import type { BatchClaim, ClaimBatch, ClaimDecisions } from '../../streamBatch/index.js';
import type { RecordFacts } from './recordFacts.js';
import { type FailedRecord, setAsideWrites } from './setAsideRecords.js';

/** Who decided each record of a batch, once claimed. */
export interface ClaimedBatch {
  /** Records at or below it were handled before: nothing to do. */
  handled: string | undefined;
  /** Positions this delivery decided (records after what was decided before). */
  ours: Set<number>;
  /** Of those, the failures set aside with the claim. */
  setAside: Set<number>;
  /** Positions an earlier claim decided (and whose handling may not have finished). */
  decidedBefore: number[];
  decidedAt: string | undefined;
  /** The first position not decided: the batch stops there (a record that cannot be set aside). */
  cut: number;
  /** A gap another runner saved in the shard's checkpoint and has not told yet (its reason). */
  untoldGap: string | undefined;
}

interface Round {
  decided: string | undefined;
  ours: number[];
  setAside: number[];
  cut: number;
}

/**
 * What one claim decides, from the last record decided before (`decided`): the records after
 * it are this delivery's, and its failures are set aside with the claim, as many as one
 * transaction holds; the first that does not fit (or the batch's stop) ends what is claimed.
 */
const decideRound = (
  records: readonly StreamRecord[],
  { facts, failures, stop, target }: RoundInput,
  decided: string | undefined,
): { round: Round; decisions: ClaimDecisions } => {
  const after = decided === undefined ? undefined : sortableSequenceNumber(decided);
  const isFresh = (position: number) =>
    after === undefined || (facts.sortable[position] as string) > after;
  const fresh = failures
    .filter(({ position }) => position < stop && isFresh(position))
    .map((failure) => ({ ...failure, sortable: facts.sortable[failure.position] as string }));
  const { writes, fits } = setAsideWrites(target, fresh);
  const cut = Math.min(stop, fresh[fits]?.position ?? stop);
  const ours = Array.from({ length: cut }, (_, position) => position).filter(isFresh);
  const last = ours[ours.length - 1];
  return {
    round: { decided, ours, setAside: fresh.slice(0, fits).map(({ position }) => position), cut },
    decisions: {
      writes,
      through: last === undefined ? null : readSequence(records, last),
    },
  };
};

// Checked by readRecordFacts before any claim: every record before the stop has one.
const readSequence = (records: readonly StreamRecord[], position: number): string =>
  readRecordFields(records[position] as StreamRecord).sequenceNumber as string;

interface RoundInput {
  facts: RecordFacts;
  failures: readonly FailedRecord[];
  /** The first position that cannot be decided at all (out of order, no creation time). */
  stop: number;
  target: { tableName: string; shardId: string; at: string };
}

const laterOf = (a: string | undefined, b: string | undefined) =>
  a === undefined
    ? b
    : b === undefined
      ? a
      : (sortableSequenceNumber(a) as string) >= (sortableSequenceNumber(b) as string)
        ? a
        : b;

/**
 * Claims the batch through the stream runner, deciding each record once whatever
 * redelivers it: the records after those decided before are this delivery's, and its
 * failures are set aside atomically with the claim. More than a transaction's worth of
 * failures takes several claims, one after the other.
 */
export const claimBatch = async (
  records: readonly StreamRecord[],
  claim: ClaimBatch,
  input: RoundInput,
): Promise<ClaimedBatch> => {
  const claimed: ClaimedBatch = {
    handled: undefined,
    ours: new Set(),
    setAside: new Set(),
    decidedBefore: [],
    decidedAt: undefined,
    cut: 0,
    untoldGap: undefined,
  };
  for (;;) {
    let round: Round | undefined;
    const told: BatchClaim = await claim((decided) => {
      const decision = decideRound(records, input, decided);
      round = decision.round;
      return decision.decisions;
    });
    const { ours, setAside, cut } = round as Round;
    claimed.handled = laterOf(claimed.handled, told.handledThrough);
    claimed.decidedAt ??= told.decidedAt; // the claim that decided the records before ours
    claimed.untoldGap ??= told.untoldGap;
    for (const position of ours) claimed.ours.add(position);
    for (const position of setAside) claimed.setAside.add(position);
    claimed.cut = cut;
    // Stopped at a transaction's limit with records set aside: the next claim goes on. A
    // record too large to set aside even alone stops the batch there.
    if (cut >= input.stop || setAside.length === 0) break;
  }
  claimed.decidedBefore = Array.from({ length: claimed.cut }, (_, position) => position).filter(
    (position) => !claimed.ours.has(position),
  );
  return claimed;
};
