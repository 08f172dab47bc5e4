import type { RecordFates } from '../counterProjection/index.js';
import type { StreamRunnerProgress } from '../streamRunner/index.js';

/** The handler's record fates added up over a run (a record retried counts once per attempt). */
export interface FateTotals {
  counted: number;
  duplicate: number;
  skipped: number;
  failed: number;
}

export const noFates = (): FateTotals => ({ counted: 0, duplicate: 0, skipped: 0, failed: 0 });

export const addFates = (totals: FateTotals, fates: RecordFates): void => {
  totals.counted += fates.counted;
  totals.duplicate += fates.duplicate;
  totals.skipped += Object.values(fates.skipped).reduce((sum, n) => sum + n, 0);
  totals.failed += fates.failed;
};

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

// Shard ids are long (shardId-00000001700000000000-abcdef12): their end tells them apart.
const shortShardId = (shardId: string) => `…${shardId.slice(-8)}`;

/**
 * `run`'s live line: what the runner read and committed, each record's fate, the records
 * counted per second since the previous line, and the lag of each shard being read.
 */
export const progressLine = ({
  progress,
  fates,
  countedPerSecond,
}: {
  progress: StreamRunnerProgress;
  fates: FateTotals;
  countedPerSecond: number;
}): string => {
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
    `lag ${lag}`,
  ].join(', ');
};

/** Adds up the handler's results and prints the live line at most once a second. */
export const liveProgress = ({
  print = console.log,
  clock = Date.now,
}: { print?: (line: string) => void; clock?: () => number } = {}) => {
  const fates = noFates();
  const startedAt = clock();
  // The first progress prints at once (a quiet stream may bring one batch only).
  let last: { at: number | undefined; counted: number } = { at: undefined, counted: 0 };
  return {
    handled: <RESULT extends { fates: RecordFates }>(result: RESULT): RESULT => {
      addFates(fates, result.fates);
      return result;
    },
    onProgress: (progress: StreamRunnerProgress): void => {
      const now = clock();
      if (last.at !== undefined && now - last.at < 1_000) return;
      const since = last.at ?? startedAt;
      const countedPerSecond = ((fates.counted - last.counted) * 1000) / Math.max(1, now - since);
      last = { at: now, counted: fates.counted };
      print(progressLine({ progress, fates, countedPerSecond }));
    },
  };
};
