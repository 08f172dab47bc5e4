import type { Counter } from '../counterProjection/index.js';
import type { PushedEvent } from './pushWorkload.js';

export interface ExpectedCount {
  counterName: string;
  key: string;
  count: number;
}

/** What each counter key must read once every pushed event is counted once. */
export const expectedCounts = (
  counters: readonly Counter[],
  pushed: PushedEvent[],
): Map<string, ExpectedCount> => {
  const expected = new Map<string, ExpectedCount>();
  for (const message of pushed) {
    for (const counter of counters) {
      if (!counter.listensTo(message)) continue;
      const key = counter.read('key', message);
      const by = counter.read('by', message);
      const id = `${counter.name}\u0000${String(key)}`;
      const entry = expected.get(id) ?? { counterName: counter.name, key: String(key), count: 0 };
      entry.count += Number(by);
      expected.set(id, entry);
    }
  }
  return expected;
};

/**
 * The crossings counts must have fired, for counters whose counts only grow (the example's
 * thresholds are on ordersByCountry): each threshold at or below a key's final count.
 */
export const expectedThresholdCrossings = (
  counters: readonly Counter[],
  expected: readonly ExpectedCount[],
): string[] =>
  expected
    .flatMap(({ counterName, key, count }) =>
      (counters.find(({ name }) => name === counterName)?.thresholds ?? [])
        .filter((threshold) => threshold <= count)
        .map((threshold) => `${counterName}#${key}#threshold#${threshold}`),
    )
    .sort();
