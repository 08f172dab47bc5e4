import { describeValue, errorGuard, TypedError } from './typedError.js';

export const invalidOptionErrorCode = 'InvalidOption';

/**
 * A numeric or enumerated option of the projection, the rebuild or the stream runner that
 * could only make it do nothing (0 or NaN concurrency counts nothing and reports success).
 * Thrown before anything is read or written.
 */
export class InvalidOptionError extends TypedError<typeof invalidOptionErrorCode> {
  readonly code = invalidOptionErrorCode;
  readonly option: string;
  readonly value: unknown;
  readonly expected: string;
  constructor({ option, value, expected }: { option: string; value: unknown; expected: string }) {
    super(
      `Invalid option ${option}: ${describeValue(value)}, expected ${expected}. Nothing was read or written; fix the option.`,
    );
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}
export const isInvalidOptionError = errorGuard<InvalidOptionError>(invalidOptionErrorCode);

/** An integer within [min, max], or the default when undefined. */
export const integerOption = (
  option: string,
  value: unknown,
  {
    min,
    max = Number.MAX_SAFE_INTEGER,
    defaultValue,
  }: { min: number; max?: number; defaultValue: number },
): number => {
  if (value === undefined) return defaultValue;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new InvalidOptionError({ option, value, expected: `an integer ${range}` });
  }
  return value;
};

/** Lambda-style retry counts: -1 means no limit, otherwise an integer >= 0. */
export const retryAttemptsOption = (
  option: string,
  value: unknown,
  defaultValue: number,
): number => {
  if (value === -1) return -1;
  return integerOption(option, value, { min: 0, defaultValue });
};

export const oneOfOption = <T extends string>(
  option: string,
  value: unknown,
  allowed: readonly T[],
  defaultValue: T,
): T => {
  if (value === undefined) return defaultValue;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidOptionError({ option, value, expected: `one of ${allowed.join(', ')}` });
  }
  return value as T;
};
