import { CounterError } from './counterError.js';

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
    throw new CounterError('InvalidOption', { option, value, expected: `an integer ${range}` });
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
    throw new CounterError('InvalidOption', {
      option,
      value,
      expected: `one of ${allowed.join(', ')}`,
    });
  }
  return value as T;
};

// DynamoDB's rule for table names (CreateTable's TableName).
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

// A table's ARN, which DynamoDB takes wherever it takes a table name (a table of another
// account, reached through its resource-based policy): arn:<partition>:dynamodb:<region>:
// <12-digit account>:table/<name>. Partitions: aws, aws-cn, aws-us-gov, aws-iso-b...; the
// region is checked for its shape only (DynamoDB Local's is `ddblocal`). A stream's ARN
// (table/<name>/stream/<label>) or an index's is not a table's.
const TABLE_ARN = /^arn:aws(?:-[a-z]+)*:dynamodb:[a-z][a-z0-9-]*[a-z0-9]:\d{12}:table\/([^/]+)$/;

const TABLE_NAME_EXPECTED =
  "a DynamoDB table name (3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.') " +
  "or a table's ARN (arn:aws:dynamodb:<region>:<12-digit account>:table/<name>; not a stream's or an index's)";

/** Whether `value` is a table's ARN of a valid name: DynamoDB takes it where it takes a name. */
const isTableArn = (value: string): boolean => {
  const name = TABLE_ARN.exec(value)?.[1];
  return name !== undefined && TABLE_NAME.test(name);
};

/**
 * A DynamoDB table name or table ARN, checked where it is given: a wrong one (empty, too
 * short, an unset environment variable) would otherwise fail at the first request, far
 * from its cause.
 */
export const tableNameOption = (option: string, value: unknown, hint = ''): string => {
  if (typeof value === 'string' && (TABLE_NAME.test(value) || isTableArn(value))) return value;
  throw new CounterError('InvalidOption', {
    option,
    value,
    expected: `${TABLE_NAME_EXPECTED}${hint}`,
  });
};
