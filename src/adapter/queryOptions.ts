import type { AttributeValue, QueryCommandInput } from '@aws-sdk/client-dynamodb';

import { CounterError } from '../shared/index.js';

/*
 * What getEvents and listAggregateIds share: checking their query options and turning
 * "a partition, a sort key between optional bounds, in either order" into a Query.
 */

export const assertOptionalInteger = (option: string, value: unknown, minimum: number): void => {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new CounterError('InvalidQueryOption', {
      option,
      value,
      expected: `an integer >= ${minimum}, or undefined`,
    });
  }
};

/** `reverse` comes from untyped callers too (JavaScript, page tokens): a string 'false' would read as true. */
export const assertOptionalBoolean = (option: string, value: unknown): void => {
  if (value !== undefined && typeof value !== 'boolean')
    throw new CounterError('InvalidQueryOption', {
      option,
      value,
      expected: 'a boolean, or undefined',
    });
};

/** Inclusive bounds of the sort key; either may be absent. */
export interface SortKeyRange {
  attribute: string;
  from: AttributeValue | undefined;
  to: AttributeValue | undefined;
}

/** The key part of a Query: one partition, the sort key within `range`, newest first when `reverse`. */
export const keyConditionQuery = ({
  partition,
  range,
  reverse,
}: {
  partition: { attribute: string; value: AttributeValue };
  range: SortKeyRange;
  reverse: boolean | undefined;
}): Pick<
  QueryCommandInput,
  | 'KeyConditionExpression'
  | 'ExpressionAttributeNames'
  | 'ExpressionAttributeValues'
  | 'ScanIndexForward'
> => {
  const { from, to } = range;
  const rangeCondition =
    from !== undefined && to !== undefined
      ? ' AND #sort BETWEEN :from AND :to'
      : from !== undefined
        ? ' AND #sort >= :from'
        : to !== undefined
          ? ' AND #sort <= :to'
          : '';
  return {
    KeyConditionExpression: `#partition = :partition${rangeCondition}`,
    ExpressionAttributeNames: {
      '#partition': partition.attribute,
      ...(rangeCondition !== '' ? { '#sort': range.attribute } : {}),
    },
    ExpressionAttributeValues: {
      ':partition': partition.value,
      ...(from !== undefined ? { ':from': from } : {}),
      ...(to !== undefined ? { ':to': to } : {}),
    },
    ScanIndexForward: reverse !== true,
  };
};
