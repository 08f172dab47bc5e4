import type { StreamRunnerProgress } from '../../streamRunner/index.js';
import { out } from '../io.js';

/** A duration as the CLI prints it: whole seconds, `-` when unknown. */
export const seconds = (ms: number | undefined): string =>
  ms === undefined ? '-' : `${Math.round(ms / 1000)} s`;

// Shard ids are long (shardId-00000001700000000000-abcdef12): their end tells them apart.
const shortShardId = (shardId: string) => `…${shardId.slice(-8)}`;

/**
 * `run`'s live line: what the runner read and committed, each record's fate, the records
 * counted per second since the previous line, the transactions sent (retries are
 * throttling or conflicts), and the lag of each shard being read.
 */
export const progressLine = ({
  progress,
  countedPerSecond,
}: {
  progress: StreamRunnerProgress;
  countedPerSecond: number;
}): string => {
  const { fates } = progress;
  const shards = Object.entries(progress.lagMsByShard)
    .map(([shardId, lagMs]) => `${shortShardId(shardId)} ${seconds(lagMs)}`)
    .join(', ');
  const lag =
    progress.lagMs === undefined
      ? '-'
      : `${seconds(progress.lagMs)}${shards ? ` (${shards})` : ''}`;
  return [
    `read ${progress.read}`,
    `committed ${progress.committed} (records counted ${fates.counted}, duplicate ${fates.duplicate}, skipped ${fates.skipped}; ${Math.round(countedPerSecond)} counted/s)`,
    `failed attempts ${fates.failed}`,
    `dead-lettered ${progress.deadLettered}`,
    `transactions ${progress.transactions} (retried ${progress.transactionRetries})`,
    `lag ${lag}`,
  ].join(', ');
};

/**
 * Prints the live line at most once a second (the first at once), with the rate since the
 * previous one. A progress held back is printed when its second is up, so that a stream
 * gone quiet still shows where it stopped.
 */
export const liveProgress = ({
  print = out,
  clock = Date.now,
  later = (run: () => void, ms: number) => void setTimeout(run, ms).unref(),
}: {
  print?: (line: string) => void;
  clock?: () => number;
  later?: (run: () => void, ms: number) => void;
} = {}) => {
  const startedAt = clock();
  // The first progress prints at once (a quiet stream may bring one batch only).
  let last: { at: number | undefined; counted: number } = { at: undefined, counted: 0 };
  let held: StreamRunnerProgress | undefined;
  const printNow = (progress: StreamRunnerProgress) => {
    const now = clock();
    const since = last.at ?? startedAt;
    const counted = progress.fates.counted;
    const countedPerSecond = ((counted - last.counted) * 1000) / Math.max(1, now - since);
    last = { at: now, counted };
    print(progressLine({ progress, countedPerSecond }));
  };
  return (progress: StreamRunnerProgress): void => {
    const waited = last.at === undefined ? Infinity : clock() - last.at;
    if (waited >= 1_000) {
      held = undefined;
      printNow(progress);
      return;
    }
    if (held === undefined)
      later(() => {
        if (held !== undefined) printNow(held);
        held = undefined;
      }, 1_000 - waited);
    held = progress;
  };
};
