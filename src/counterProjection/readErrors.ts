import { describeValue, errorGuard, TypedError } from '../shared/typedError.js';

/* Errors of reading the counts (getCount, getExactCount, listCountedRefs...). */

export const invalidCountQueryErrorCode = 'InvalidCountQuery';
/** A read of the counts with an argument that could not name a count: the caller's mistake. */
export class InvalidCountQueryError extends TypedError<typeof invalidCountQueryErrorCode> {
  readonly code = invalidCountQueryErrorCode;
  readonly option: string;
  readonly value: unknown;
  readonly expected: string;
  constructor({ option, value, expected }: { option: string; value: unknown; expected: string }) {
    super(`Invalid ${option} ${describeValue(value)}: expected ${expected}. Fix the argument.`);
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}
export const isInvalidCountQueryError = errorGuard<InvalidCountQueryError>(
  invalidCountQueryErrorCode,
);

export const countTooLargeErrorCode = 'CountTooLarge';
/** A stored count beyond JavaScript's safe integers: a number would round it. */
export class CountTooLargeError extends TypedError<typeof countTooLargeErrorCode> {
  readonly code = countTooLargeErrorCode;
  readonly itemKey: string;
  readonly count: string;
  constructor({ itemKey, count }: { itemKey: string; count: string }) {
    super(
      `The count of ${itemKey} is ${count}, beyond 2^53: as a number it would be rounded. Read it with getExactCount, which returns a bigint.`,
    );
    this.itemKey = itemKey;
    this.count = count;
  }
}
export const isCountTooLargeError = errorGuard<CountTooLargeError>(countTooLargeErrorCode);

export const countReadFailedErrorCode = 'CountReadFailed';
/** DynamoDB kept leaving keys unprocessed (throttling) past the retry budget: a read failure, not the caller's mistake. */
export class CountReadFailedError extends TypedError<typeof countReadFailedErrorCode> {
  readonly code = countReadFailedErrorCode;
  readonly attempts: number;
  readonly unprocessedKeys: number;
  constructor({ attempts, unprocessedKeys }: { attempts: number; unprocessedKeys: number }) {
    super(
      `DynamoDB left ${unprocessedKeys} key(s) unprocessed after ${attempts} attempts (throttling): retry the read later, or raise the retry budget.`,
    );
    this.attempts = attempts;
    this.unprocessedKeys = unprocessedKeys;
  }
}
export const isCountReadFailedError = errorGuard<CountReadFailedError>(countReadFailedErrorCode);
