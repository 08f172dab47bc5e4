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
  /** Each increment's share in this item (its `by`), in record order. */
  increments: PlannedIncrement[];
}

// Length-prefixed: a key may hold any character, and two items must never share an id.
const idOf = (counter: Counter, key: string, window = '', bucket = '') =>
  `${counter.name.length}:${counter.name}${key.length}:${key}${window}#${bucket}`;

/**
 * Groups a batch's mark increments by the counts item they go to: each increment once into
 * its key's total and once into each of its windows' buckets. One pass: constant work per
 * increment and window, whatever the batch's size or a key's heat.
 */
export const groupMarkRuns = (increments: readonly PlannedIncrement[]): MarkRun[] => {
  const runs = new Map<string, MarkRun>();
  const add = (
    id: string,
    make: () => Omit<MarkRun, 'increments'>,
    increment: PlannedIncrement,
  ) => {
    let run = runs.get(id);
    if (run === undefined) {
      run = { ...make(), increments: [] };
      runs.set(id, run);
    }
    run.increments.push(increment);
  };
  for (const increment of increments) {
    const { counter, key } = increment;
    add(
      idOf(counter, key),
      () => ({ counter, key, itemKey: totalItem.key(counter.name, key) }),
      increment,
    );
    increment.buckets.forEach((bucket, index) => {
      const window = counter.windows[index] as CounterWindow;
      const days = counter.windowRetention[window];
      add(
        idOf(counter, key, window, bucket),
        () => ({
          counter,
          key,
          itemKey: windowItem.key({ counterName: counter.name, window, key, bucket }),
          window: {
            name: window,
            expiresAt: days === undefined ? undefined : bucketExpiry(window, bucket, days),
          },
        }),
        increment,
      );
    });
  }
  return [...runs.values()];
};

/** The update of a run's increments (those still to apply), with its records' facts. */
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
  const first = increments[0] as PlannedIncrement;
  const last = increments[increments.length - 1] as PlannedIncrement;
  let delta = 0n;
  let oldest = Infinity;
  for (const { by, position } of increments) {
    delta += BigInt(by);
    oldest = Math.min(oldest, facts.createdAt[position] as number);
  }
  return {
    tableName,
    owner: { tableName, counterName: run.counter.name, key: run.key },
    itemKey: run.itemKey,
    ...(run.window !== undefined ? { window: run.window } : {}),
    shardId,
    first: facts.sortable[first.position] as string,
    last: facts.sortable[last.position] as string,
    delta,
    lastCreatedAt: facts.createdAt[last.position] as number,
    oldestCreatedAt: oldest,
    rebuildId,
  };
};
