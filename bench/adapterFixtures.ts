import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { mapWithConcurrency } from '../src/shared/mapWithConcurrency.js';

export interface SuiteOptions {
  client: DynamoDBClient;
  rounds: number;
  warmup: number;
  scale: number; // 1 for the full sizes, less for --quick
}

export const payload = {
  customerId: 'customer-42',
  country: 'FR',
  quantity: 3,
  note: 'x'.repeat(200),
};
let unique = 0;
export const freshId = (prefix: string) => `${prefix}-${++unique}`;

/** Runs `count` calls of `call`, `concurrency` at a time. */
export const inParallel = (
  count: number,
  concurrency: number,
  call: (index: number) => Promise<unknown>,
) =>
  mapWithConcurrency(
    Array.from({ length: count }, (_, index) => index),
    concurrency,
    call,
  );
