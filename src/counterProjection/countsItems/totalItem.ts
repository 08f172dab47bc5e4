import { type CountGuard, type GuardClauses, guardClauses } from './countGuard.js';
import {
  type CountsImage,
  type CountsItemKey,
  type CountsItemOwner,
  decodeCount,
  type DecodeFail,
  decodeInteger,
  decodeString,
  identifiedShape,
  identifiedUpdate,
  returningOld,
  type UpdateShape,
} from './countsAttributes.js';

export const TOTAL_SORT_KEY = 'total';

/** What a counter key's total item holds: its count, and the target reactions compare it with. */
export interface TotalState {
  count: bigint;
  target: bigint | undefined;
}

/** A total item read back whole: whose it is, and its state. */
export interface TotalItem extends TotalState {
  counterName: string;
  key: string;
}

const keyOf = (counterName: string, key: string): CountsItemKey => ({
  pk: `T#${counterName}#${key}`,
  sk: TOTAL_SORT_KEY,
});

/** The state in a total's image; an absent image (before the first write) is a count of 0. */
const decodeState = (image: CountsImage | undefined, fail: DecodeFail): TotalState => ({
  count: decodeCount(image, fail),
  target: decodeInteger(image, 'target', fail),
});

// An increment's expressions depend only on its guard's clauses (cached per guard): built once each.
const incrementShapes = new WeakMap<GuardClauses, UpdateShape>();
const incrementShape = (clauses: GuardClauses): UpdateShape => {
  let shape = incrementShapes.get(clauses);
  if (shape === undefined) {
    shape = identifiedShape({
      add: '#count :delta',
      set: ['#refShards = if_not_exists(#refShards, :refShards)', ...clauses.set].join(', '),
      condition: [
        '(attribute_not_exists(#refShards) OR #refShards = :refShards)',
        ...clauses.condition,
      ].join(' AND '),
      names: ['count', 'refShards', ...clauses.names],
    });
    incrementShapes.set(clauses, shape);
  }
  return shape;
};

const TARGET_SHAPE = identifiedShape({ set: '#target = :target', names: ['target'] });

/**
 * A counter key's total:  pk T#<counter>#<key>  sk "total"  count, refShards, counter, key
 * (and target, when one is set). `counter` and `key` are written by every writer: reactions
 * read a total's identity there.
 */
export const totalItem = {
  key: keyOf,

  /** Whether an item's keys are a total's (`T#…`, sort key `total`): what reactions watch. */
  isKey: (pk: unknown, sk: unknown): pk is string =>
    typeof pk === 'string' && pk.startsWith('T#') && sk === TOTAL_SORT_KEY,

  /**
   * Adds a delta through refs (a bigint: 99 increments near 2^53 would lose units as
   * numbers). refShards is recorded on first count and checked after: another refShards
   * would look for refs in other partitions; the guard keeps the item counted one way.
   */
  increment: ({
    delta,
    refShards,
    guard,
    ...owner
  }: CountsItemOwner & { delta: bigint; refShards: number; guard: CountGuard }) => {
    const clauses = guardClauses(guard);
    // Which condition refused it: the kind of counter, or a rebuild (commitTransaction.ts).
    return returningOld(
      identifiedUpdate(owner, keyOf(owner.counterName, owner.key), incrementShape(clauses), {
        ':delta': { N: String(delta) },
        ':refShards': { N: String(refShards) },
        ...clauses.values,
      }),
    );
  },

  /** Sets the target beside the count, so that one stream image shows both. */
  setTarget: ({ target, ...owner }: CountsItemOwner & { target: number }) =>
    identifiedUpdate(owner, keyOf(owner.counterName, owner.key), TARGET_SHAPE, {
      ':target': { N: String(target) },
    }),

  decodeState,

  /** A whole total whose partition key is `partitionKey`; its counter and key must name it. */
  decode: (image: CountsImage | undefined, partitionKey: string, fail: DecodeFail): TotalItem => {
    const counterName = decodeString(image, 'counter');
    const key = decodeString(image, 'key');
    if (counterName === undefined || key === undefined) return fail('no counter or key');
    if (partitionKey !== keyOf(counterName, key).pk) fail('counter and key unlike the item key');
    return { counterName, key, ...decodeState(image, fail) };
  },
};
