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

/** A key's runs: its total, and its buckets by bucket, one map per window (in the counter's order). */
interface KeyRuns {
  total: MarkRun;
  buckets: Map<string, MarkRun>[];
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

/**
 * Groups a batch's mark increments by the counts item they go to: each increment once into
 * its key's total and once into each of its windows' buckets. One pass: constant work per
 * increment and window, whatever the batch's size or a key's heat.
 */
export const groupMarkRuns = (increments: readonly PlannedIncrement[]): MarkRun[] => {
  const byCounter = new Map<Counter, Map<string, KeyRuns>>();
  const runs: MarkRun[] = [];
  for (const increment of increments) {
    const { counter, key } = increment;
    let byKey = byCounter.get(counter);
    if (byKey === undefined) byCounter.set(counter, (byKey = new Map<string, KeyRuns>()));
    let keyRuns = byKey.get(key);
    if (keyRuns === undefined) {
      const total = { counter, key, itemKey: totalItem.key(counter.name, key), increments: [] };
      const buckets = counter.windows.map(() => new Map<string, MarkRun>());
      byKey.set(key, (keyRuns = { total, buckets }));
      runs.push(total);
    }
    keyRuns.total.increments.push(increment);
    for (let index = 0; index < increment.buckets.length; index++) {
      const window = counter.windows[index] as CounterWindow;
      const bucket = increment.buckets[index] as string;
      const windowRuns = keyRuns.buckets[index] as Map<string, MarkRun>;
      let run = windowRuns.get(bucket);
      if (run === undefined) {
        windowRuns.set(bucket, (run = bucketRun(counter, key, window, bucket) as MarkRun));
        runs.push(run);
      }
      run.increments.push(increment);
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
