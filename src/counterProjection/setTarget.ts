import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import { CounterError } from '../shared/index.js';
import type { Counter } from './counter.js';
import { totalItem } from './countsItems/index.js';
import { isBoundedString, MAX_KEY_BYTES } from './writePath/index.js';

/** A per-key target (e.g. the 5 items an order expects): stored on the key's total item. */
export interface TargetInput {
  key: string;
  /** An integer: reached when the count is at or above it. */
  target: number;
}

/**
 * Sets a key's target, beside its count, so that the counts table's stream shows both in
 * one image: reactions fire when the count reaches it (at once if it is already reached).
 * Idempotent: setting the same target again changes nothing and fires nothing.
 */
export const setTarget = async (
  context: { dynamoDBClient: DynamoDBClient; tableName: string },
  { counter, key, target }: TargetInput & { counter: Counter },
): Promise<void> => {
  const fail = (field: 'key' | 'target', value: unknown, expected: string): never => {
    throw new CounterError('InvalidIncrement', {
      counterName: counter.name,
      field,
      value,
      expected,
    });
  };
  if (!isBoundedString(key, MAX_KEY_BYTES))
    fail('key', key, `a non-empty, well-formed string of at most ${MAX_KEY_BYTES} UTF-8 bytes`);
  if (!Number.isSafeInteger(target)) fail('target', target, 'a safe integer');
  await context.dynamoDBClient.send(
    new UpdateItemCommand(
      totalItem.setTarget({ tableName: context.tableName, counterName: counter.name, key, target }),
    ),
  );
};
