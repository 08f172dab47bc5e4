import { describe, expect, it } from 'vitest';

import {
  batchLog,
  batchMetrics,
  failedRecordLog,
} from '../../src/counterProjection/batchReport.js';
import { noStats } from '../../src/counterProjection/processRecordsResult.js';
import { recordFates } from '../../src/counterProjection/recordFates.js';
import { oldestRecordAgeMs, type StreamRecord } from '../../src/imageParser/streamRecord.js';

const failure = Object.assign(new Error('bad payload: fix the counter'), {
  code: 'InvalidIncrement',
});

describe('what became of each record of a batch', () => {
  it('gives every record one fate, and the fates add up to the batch', () => {
    const fates = recordFates({
      records: 7,
      skipped: new Map([[0, 'NotAnInsert' as const]]),
      countedAt: new Set([1, 3]),
      duplicateAt: new Set([2, 3, 6]),
      failure: { position: 5, error: failure },
    });
    expect(fates).toEqual({
      counted: 2, // 3 had one increment counted now and one counted before: counted
      duplicate: 1,
      skipped: { NotAnInsert: 1, UnknownEventStore: 0, NoCounter: 1, SetAside: 0, NotExact: 0 }, // 4: no counter counts it
      failed: 2, // 5 and 6, although 6's increment was found counted
      failedCode: 'InvalidIncrement',
    });
  });

  it('names an error without a code Unknown', () => {
    const fates = recordFates({
      records: 1,
      skipped: new Map(),
      countedAt: new Set(),
      duplicateAt: new Set(),
      failure: { position: 0, error: new TypeError('oops') },
    });
    expect(fates).toMatchObject({ failed: 1, failedCode: 'Unknown' });
  });

  it("names an AWS service error by its name (the SDK's errors have no code)", () => {
    const error = Object.assign(new Error('Query condition missed key schema element: pk'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    const fates = recordFates({
      records: 1,
      skipped: new Map(),
      countedAt: new Set(),
      duplicateAt: new Set(),
      failure: { position: 0, error },
    });
    expect(fates).toMatchObject({ failed: 1, failedCode: 'ValidationException' });
  });
});

describe("the handler's report of a batch", () => {
  const lambdaRecord = (createdSeconds: number) =>
    ({ dynamodb: { ApproximateCreationDateTime: createdSeconds } }) as StreamRecord;
  const apiRecord = (created: Date) =>
    ({ dynamodb: { ApproximateCreationDateTime: created } }) as StreamRecord;

  it("ages the oldest record, from Lambda's epoch seconds or the Streams API's Date", () => {
    const now = new Date('2026-11-21T12:00:00Z');
    expect(
      oldestRecordAgeMs(
        [lambdaRecord(now.getTime() / 1000 - 30), lambdaRecord(now.getTime() / 1000 - 90)],
        now,
      ),
    ).toBe(90_000);
    expect(oldestRecordAgeMs([apiRecord(new Date(now.getTime() - 1_500))], now)).toBe(1_500);
    expect(oldestRecordAgeMs([{ dynamodb: {} } as StreamRecord], now)).toBeUndefined();
  });

  it('names the failing record by its keys and says what to do', () => {
    const record = {
      dynamodb: {
        SequenceNumber: '400000000000000000042',
        Keys: { aggregateId: { S: 'orders#o-1' }, version: { N: '3' } },
      },
    } as StreamRecord;
    expect(failedRecordLog(record, { position: 4, error: failure, failed: 2 })).toEqual({
      sequenceNumber: '400000000000000000042',
      position: 4,
      aggregateKey: 'orders#o-1',
      version: '3',
      errorCode: 'InvalidIncrement',
      errorMessage: 'bad payload: fix the counter',
      recordsFailed: 2,
    });
  });

  it('turns the fates, increments and requests into metrics, skip reasons and the error code by name', () => {
    const fates = recordFates({
      records: 4,
      skipped: new Map([[0, 'UnknownEventStore' as const]]),
      countedAt: new Set([1]),
      duplicateAt: new Set([2]),
      failure: { position: 3, error: failure },
    });
    const stats = {
      ...noStats(),
      records: 4,
      counted: 5,
      duplicates: 2,
      transactions: 3,
      retries: 1,
    };
    const metrics = batchMetrics(batchLog({ batchItemFailures: [], stats, fates }, 1_234));
    expect(Object.fromEntries(metrics.map(({ name, value }) => [name, value]))).toEqual({
      Records: 4,
      RecordsCounted: 1,
      RecordsDuplicate: 1,
      RecordsSkipped: 1,
      RecordsSkippedNotAnInsert: 0,
      RecordsSkippedUnknownEventStore: 1,
      RecordsSkippedNoCounter: 0,
      RecordsSkippedSetAside: 0,
      RecordsSkippedNotExact: 0,
      RecordsFailed: 1,
      RecordsFailedInvalidIncrement: 1,
      IncrementsCounted: 5,
      IncrementsDuplicate: 2,
      Transactions: 3,
      TransactionRetries: 1,
      OldestRecordAge: 1_234,
    });
    expect(metrics.find(({ name }) => name === 'OldestRecordAge')?.unit).toBe('Milliseconds');
  });
});
