import type { Counter } from '../counter.js';
import { totalItem, type WatermarkRun, windowItem } from '../countsItems/index.js';
import { bucketExpiry, type CounterWindow } from '../windows.js';
import type { PlannedIncrement } from '../writePath/index.js';
import type { RecordFacts } from './recordFacts.js';

/** The increments of a batch that one counts item (a total, a bucket) takes: written in one update. */
export interface MarkRun {
  counter: Counter;
  key: string;
  itemKey: WatermarkRun['itemKey'];
  window?: WatermarkRun['window'];
  /** Its increments in record order (each counts `by` into this item). */
  increments: PlannedIncrement[];
}

/**
 * A counter's runs in a batch: its keys' totals, and per window (in the counter's order) the
 * buckets' runs by bucket, then by key. A batch's buckets are few, its keys many: a map per
 * bucket, none per key.
 */
interface CounterRuns {
  totals: Map<string, MarkRun>;
  windows: Map<string, Map<string, MarkRun>>[];
}

const bucketRun = (counter: Counter, key: string, window: CounterWindow, bucket: string) => {
  const days = counter.windowRetention[window];
  return {
    counter,
    key,
    itemKey: windowItem.key({ counterName: counter.name, window, key, bucket }),
    window: {
      name: window,
      expiresAt: days === undefined ? undefined : bucketExpiry(window, bucket, days),
    },
    increments: [],
  };
};

/** The run of an increment's bucket in the counter's window `index`, made (and listed) the first time. */
const bucketRunOf = (
  byBucket: Map<string, Map<string, MarkRun>>,
  { counter, key, buckets }: PlannedIncrement,
  index: number,
  runs: MarkRun[],
): MarkRun => {
  const bucket = buckets[index] as string;
  let byKey = byBucket.get(bucket);
  if (byKey === undefined) byBucket.set(bucket, (byKey = new Map<string, MarkRun>()));
  let run = byKey.get(key);
  if (run === undefined) {
    const window = counter.windows[index] as CounterWindow;
    byKey.set(key, (run = bucketRun(counter, key, window, bucket) as MarkRun));
    runs.push(run);
  }
  return run;
};

/**
 * Groups a batch's mark increments by the counts item they go to: each increment once into
 * its key's total and once into each of its windows' buckets, the runs listed as first met.
 * One pass: constant work per increment and window, whatever the batch's size or a key's heat.
 */
export const groupMarkRuns = (increments: readonly PlannedIncrement[]): MarkRun[] => {
  const byCounter = new Map<Counter, CounterRuns>();
  const runs: MarkRun[] = [];
  for (const increment of increments) {
    const { counter, key } = increment;
    let counterRuns = byCounter.get(counter);
    if (counterRuns === undefined) {
      const windows = counter.windows.map(() => new Map<string, Map<string, MarkRun>>());
      byCounter.set(counter, (counterRuns = { totals: new Map(), windows }));
    }
    let total = counterRuns.totals.get(key);
    if (total === undefined) {
      total = { counter, key, itemKey: totalItem.key(counter.name, key), increments: [] };
      counterRuns.totals.set(key, total);
      runs.push(total);
    }
    total.increments.push(increment);
    for (let index = 0; index < increment.buckets.length; index++) {
      const byBucket = counterRuns.windows[index] as Map<string, Map<string, MarkRun>>;
      bucketRunOf(byBucket, increment, index, runs).increments.push(increment);
    }
  }
  return runs;
};

/** The update of a run's increments (those still to apply), with its records' facts: one pass. */
export const runUpdate = (
  run: MarkRun,
  increments: readonly PlannedIncrement[],
  {
    facts,
    shardId,
    tableName,
    rebuildId,
  }: { facts: RecordFacts; shardId: string; tableName: string; rebuildId: string | undefined },
): WatermarkRun & { tableName: string } => {
  const first = (increments[0] as PlannedIncrement).position;
  const last = (increments[increments.length - 1] as PlannedIncrement).position;
  let sum = 0;
  let exact: bigint | undefined;
  let oldest = Infinity;
  for (const { by, position } of increments) {
    // Past 2^53 a number sum loses units: from there on it is summed as a bigint.
    if (exact === undefined && !Number.isSafeInteger(sum + by)) exact = BigInt(sum);
    if (exact === undefined) sum += by;
    else exact += BigInt(by);
    const createdAt = facts.createdAt[position] as number;
    if (createdAt < oldest) oldest = createdAt;
  }
  const update: WatermarkRun & { tableName: string } = {
    tableName,
    owner: { tableName, counterName: run.counter.name, key: run.key },
    itemKey: run.itemKey,
    shardId,
    first: facts.sortable[first] as string,
    last: facts.sortable[last] as string,
    delta: exact ?? BigInt(sum),
    lastCreatedAt: facts.createdAt[last] as number,
    oldestCreatedAt: oldest,
    rebuildId,
  };
  if (run.window !== undefined) update.window = run.window;
  return update;
};
