import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';

import { isCounterError } from '../../src/shared/index.js';
import {
  answerLambda,
  processItemsInOrder,
  REPORT_BATCH_ITEM_FAILURES_ENV,
} from '../../src/streamBatch/index.js';

// The shell every batch handler shares (counting, reactions): pure code, no server.
const record = (item: string, sequenceNumber: string): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { Keys: { pk: { S: item } }, SequenceNumber: sequenceNumber },
});

describe('processItemsInOrder', () => {
  it("handles each item's records in stream order, items side by side", async () => {
    const records = [record('a', '1'), record('b', '2'), record('a', '3'), record('b', '4')];
    const seen: string[] = [];
    const { outcomes, failure } = await processItemsInOrder(records, {
      concurrency: 2,
      handle: async (r, position) => {
        // b's first record is slow: a's records must not wait for it, b's second must.
        if (position === 1) await new Promise((resolve) => setTimeout(resolve, 20));
        seen.push(r.dynamodb?.SequenceNumber as string);
        return position * 10;
      },
    });
    expect(failure).toBeUndefined();
    expect(outcomes).toEqual([0, 10, 20, 30]);
    expect(seen).toEqual(['1', '3', '2', '4']);
  });

  it('cuts the batch at its first failing record: outcomes before it, nothing after, and no later record of the failed item is handled', async () => {
    const records = [record('a', '1'), record('b', '2'), record('a', '3'), record('b', '4')];
    const handled: number[] = [];
    const broken = new Error('b is broken');
    const { outcomes, failure } = await processItemsInOrder(records, {
      concurrency: 1,
      handle: async (_r, position) => {
        if (position === 1) throw broken;
        handled.push(position);
        return position;
      },
    });
    expect(outcomes).toEqual([0]);
    expect(failure).toEqual({ position: 1, error: broken });
    expect(handled).not.toContain(3);
  });
});

describe('answerLambda', () => {
  afterEach(() => {
    delete process.env[REPORT_BATCH_ITEM_FAILURES_ENV];
  });
  const failed = { batchItemFailures: [{ itemIdentifier: '7' }], error: new Error('throttled') };

  it('throws RecordsNotHandled for a failed record unless the mapping reports batch item failures', () => {
    let thrown: unknown;
    try {
      answerLambda(failed, {
        records: 3,
        reportBatchItemFailures: undefined,
        handled: 'reacted to',
      });
    } catch (error) {
      thrown = error;
    }
    expect(isCounterError(thrown, 'RecordsNotHandled')).toBe(true);
    expect((thrown as Error).message).toMatch(/^Record 7 \(of a batch of 3\) was not reacted to/);
    expect(answerLambda(failed, { records: 3, reportBatchItemFailures: true })).toEqual({
      batchItemFailures: [{ itemIdentifier: '7' }],
    });
    process.env[REPORT_BATCH_ITEM_FAILURES_ENV] = 'true';
    expect(answerLambda(failed, { records: 3, reportBatchItemFailures: undefined })).toEqual({
      batchItemFailures: [{ itemIdentifier: '7' }],
    });
  });

  it('answers an empty list when every record was handled, declared or not', () => {
    expect(
      answerLambda({ batchItemFailures: [] }, { records: 3, reportBatchItemFailures: false }),
    ).toEqual({ batchItemFailures: [] });
  });
});
