/**
 * Where a count got: the pure part of reactions. A total item's stream record gives its
 * count and target before and after one write (one transaction, however many increments
 * it added), so the crossings of that write are exact whatever was coalesced.
 */

import type { TotalState } from '../counterProjection/index.js';

/** A total item as an image shows it (a key never counted has count 0 and no target). */
export type { TotalState };

export type CrossingKind = 'threshold' | 'floor' | 'target';

/** One (counter, key) reaching one threshold, floor or target. */
export interface Crossing<COUNTER_NAME extends string = string> {
  counterName: COUNTER_NAME;
  key: string;
  kind: CrossingKind;
  /** The threshold, floor or target reached. */
  value: number;
  /** The count right after the write that reached it (past the value when a batch jumped over it). */
  count: number;
  /**
   * The same for every firing of this (counter, key, kind, value), ever: a reaction that
   * saw it already does nothing again. `<counter>#<key>#<kind>#<value>`.
   */
  idempotencyKey: string;
  /** When the write that reached it was made (its stream record's creation time), ISO 8601. */
  reachedAt?: string;
}

export interface CrossingLimits {
  /** Reached when the count goes from below to at or above. */
  thresholds: readonly number[];
  /** Reached when the count goes from above to at or below. */
  floors: readonly number[];
}

const reachedTarget = ({ count, target }: TotalState) => target !== undefined && count >= target;

/**
 * The values a write from `before` to `after` reached, thresholds and floors in the order
 * given, then the target. A target fires when the count is at or above it after the write
 * and was not before with that same target: set below the count, it fires at once.
 */
export const crossedValues = (
  limits: CrossingLimits,
  before: TotalState,
  after: TotalState,
): { kind: CrossingKind; value: number }[] => {
  const crossed: { kind: CrossingKind; value: number }[] = [];
  for (const threshold of limits.thresholds) {
    const value = BigInt(threshold);
    if (before.count < value && after.count >= value)
      crossed.push({ kind: 'threshold', value: threshold });
  }
  for (const floor of limits.floors) {
    const value = BigInt(floor);
    if (before.count > value && after.count <= value) crossed.push({ kind: 'floor', value: floor });
  }
  const sameTarget = before.target === after.target;
  if (reachedTarget(after) && !(sameTarget && reachedTarget(before)))
    crossed.push({ kind: 'target', value: Number(after.target) });
  return crossed;
};

export const crossingIdempotencyKey = ({
  counterName,
  key,
  kind,
  value,
}: Pick<Crossing, 'counterName' | 'key' | 'kind' | 'value'>): string =>
  `${counterName}#${key}#${kind}#${value}`;
