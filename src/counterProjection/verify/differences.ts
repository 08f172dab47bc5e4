import type { CounterWindow } from '../windows.js';
import type { CountedItems } from './countedItems.js';

/**
 * A counts item whose count is not what the events say: `missing` from the table (counted
 * by events, absent), `extra` in it (no event counts it), or `different`. Exact, as bigints.
 */
export interface CountDifference {
  counterName: string;
  key: string;
  /** With bucket: a window bucket; without, the key's total. */
  window?: CounterWindow;
  bucket?: string;
  expected: bigint;
  actual: bigint;
  kind: 'missing' | 'extra' | 'different';
}

/**
 * Every item whose counts differ, sorted by counter, key, window and bucket. An item absent
 * on one side counts 0 there: a total of 0 (+1 then -1) matches an absent one.
 */
export const differencesOf = (expected: CountedItems, actual: CountedItems): CountDifference[] => {
  const differences: CountDifference[] = [];
  for (const [id, item] of expected) {
    const found = actual.get(id);
    if (found?.count === item.count || (found === undefined && item.count === 0n)) continue;
    const { count, ...where } = item;
    differences.push({
      ...where,
      expected: count,
      actual: found?.count ?? 0n,
      kind: found === undefined ? 'missing' : 'different',
    });
  }
  for (const [id, { count, ...where }] of actual)
    if (!expected.has(id) && count !== 0n)
      differences.push({ ...where, expected: 0n, actual: count, kind: 'extra' });
  return differences.sort(byPlace);
};

const placeOf = ({ counterName, key, window, bucket }: CountDifference): string[] => [
  counterName,
  key,
  window ?? '',
  bucket ?? '',
];

const byPlace = (a: CountDifference, b: CountDifference): number => {
  const [left, right] = [placeOf(a), placeOf(b)];
  const index = left.findIndex((part, at) => part !== right[at]);
  if (index === -1) return 0;
  return (left[index] as string) < (right[index] as string) ? -1 : 1;
};
