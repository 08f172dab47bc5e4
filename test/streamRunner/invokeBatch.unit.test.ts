import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';

import {
  type FailedRecords,
  invokeBatch,
  type InvokeOptions,
  type StreamHandler,
} from '../../src/streamRunner/invokeBatch.js';

const record = (label: string): StreamsApiRecord => ({ dynamodb: { SequenceNumber: label } });
const batchOf = (...labels: string[]) => labels.map(record);
const labels = (records: StreamsApiRecord[]) => records.map((r) => r.dynamodb?.SequenceNumber);

/** A handler that throws whenever a poisoned record is in its batch, and remembers each call. */
const poisonedBy = (poison: Set<string>) => {
  const calls: (string | undefined)[][] = [];
  const handler: StreamHandler = (records) => {
    calls.push(labels(records));
    if (records.some((r) => poison.has(r.dynamodb?.SequenceNumber ?? '')))
      throw new Error('poison');
    return Promise.resolve();
  };
  return { handler, calls };
};

const run = async (
  batch: StreamsApiRecord[],
  handler: StreamHandler,
  options: Partial<InvokeOptions> = {},
) => {
  const handled: [string | undefined, { committed: number; failed: number }][] = [];
  const deadLetters: FailedRecords[] = [];
  const finished = await invokeBatch(batch, {
    shardId: 'shard-1',
    handler,
    maximumRetryAttempts: 2,
    bisectBatchOnFunctionError: false,
    retryDelay: { baseDelayMs: 0, maxDelayMs: 0 },
    onHandled: (last, outcome) => {
      handled.push([last.dynamodb?.SequenceNumber, outcome]);
      return Promise.resolve();
    },
    onFailure: (failed) => {
      deadLetters.push(failed);
      return Promise.resolve();
    },
    isStopping: () => false,
    ...options,
  });
  return { finished, handled, deadLetters: deadLetters.map((f) => labels(f.records)) };
};

describe('invokeBatch, as Lambda’s event source mapping (unit)', () => {
  it('bisects a failing batch down to the poisoned record, which alone is retried then dead-lettered', async () => {
    const { handler, calls } = poisonedBy(new Set(['c']));
    const outcome = await run(batchOf('a', 'b', 'c', 'd', 'e'), handler, {
      bisectBatchOnFunctionError: true,
    });
    expect(calls).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['a', 'b', 'c'],
      ['a', 'b'],
      ['c'], // alone, with all its retries: the first attempt and 2 more
      ['c'],
      ['c'],
      ['d', 'e'],
    ]);
    expect(outcome.deadLetters).toEqual([['c']]);
    expect(outcome.handled).toEqual([
      ['b', { committed: 2, failed: 0 }],
      ['c', { committed: 0, failed: 1 }],
      ['e', { committed: 2, failed: 0 }],
    ]);
    expect(outcome.finished).toBe(true);
  });

  it('commits what precedes a reported failure and retries from it, then dead-letters the rest', async () => {
    const calls: (string | undefined)[][] = [];
    const handler: StreamHandler = (records) => {
      calls.push(labels(records));
      const failing = records.find((r) => r.dynamodb?.SequenceNumber === 'c');
      return Promise.resolve(
        failing === undefined ? undefined : { batchItemFailures: [{ itemIdentifier: 'c' }] },
      );
    };
    const outcome = await run(batchOf('a', 'b', 'c', 'd'), handler, { maximumRetryAttempts: 1 });
    expect(calls).toEqual([
      ['a', 'b', 'c', 'd'],
      ['c', 'd'],
    ]);
    expect(outcome.deadLetters).toEqual([['c', 'd']]);
    expect(outcome.handled).toEqual([
      ['b', { committed: 2, failed: 0 }],
      ['d', { committed: 0, failed: 2 }],
    ]);
  });

  it('gives onFailure the error the handler reported with its failure (processRecords does), not a stand-in', async () => {
    const cause = new Error('Count transaction failed: ValidationException');
    const failed: FailedRecords[] = [];
    await run(
      batchOf('a', 'b'),
      () => Promise.resolve({ batchItemFailures: [{ itemIdentifier: 'a' }], error: cause }),
      {
        maximumRetryAttempts: 0,
        onFailure: (records) => {
          failed.push(records);
          return Promise.resolve();
        },
      },
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toBe(cause);
  });

  it('fails the whole batch when a reported identifier names no record of it, as Lambda does', async () => {
    const calls: (string | undefined)[][] = [];
    const handler: StreamHandler = (records) => {
      calls.push(labels(records));
      return Promise.resolve(
        calls.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'elsewhere' }] } : undefined,
      );
    };
    const outcome = await run(batchOf('a', 'b'), handler);
    expect(calls).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(outcome.handled).toEqual([['b', { committed: 2, failed: 0 }]]);
  });

  it('retries without limit with maximumRetryAttempts -1, and hands nothing to the dead letter', async () => {
    let calls = 0;
    const handler: StreamHandler = () => {
      calls += 1;
      return calls <= 6 ? Promise.reject(new Error('down')) : Promise.resolve();
    };
    const outcome = await run(batchOf('a'), handler, { maximumRetryAttempts: -1 });
    expect(calls).toBe(7);
    expect(outcome.deadLetters).toEqual([]);
    expect(outcome.handled).toEqual([['a', { committed: 1, failed: 0 }]]);
  });

  it('ends a failing batch’s retries when asked to stop, handling nothing more', async () => {
    const { handler, calls } = poisonedBy(new Set(['b']));
    let stopping = false;
    const outcome = await run(batchOf('a', 'b', 'c'), handler, {
      maximumRetryAttempts: -1,
      bisectBatchOnFunctionError: true,
      onHandled: () => {
        stopping = true; // asked to stop once 'a' is handled, while 'b' keeps failing
        return Promise.resolve();
      },
      isStopping: () => stopping,
    });
    expect(outcome.finished).toBe(false);
    expect(calls).toEqual([['a', 'b', 'c'], ['a', 'b'], ['a']]);
    expect(outcome.deadLetters).toEqual([]);
  });
});
