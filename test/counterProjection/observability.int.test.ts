import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { orderPlacedRecord, sequenceNumberOf } from '../support/records.js';

const { client, createTestCountsTable } = useDynamoDB();
afterEach(() => vi.restoreAllMocks());

const ordersStore = makeOrdersStore();
const writtenSecondsAgo = 90;

/** An ORDER_PLACED record as Lambda delivers it (creation time in epoch seconds). */
const placed = (index: number, payload?: Record<string, unknown>) => {
  const record = orderPlacedRecord(index, payload);
  return {
    ...record,
    dynamodb: {
      ...record.dynamodb,
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000) - writtenSecondsAgo + index,
    },
  } as DynamoDBRecord;
};

/** Every line written to stdout and stderr while `run` runs (Powertools writes to both). */
const captureOutput = async (run: () => Promise<unknown>): Promise<Record<string, unknown>[]> => {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
};

describe('the handler reports every record of a batch (Powertools Logger and Metrics)', () => {
  it('logs one JSON line per batch and one per failure, and publishes the same figures as EMF metrics', async () => {
    const countsTableName = await createTestCountsTable();
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName,
      sourceEventStores: [ordersStore],
      counters: [
        counter({
          name: 'orders',
          eventStore: ordersStore,
          eventTypes: ['ORDER_PLACED'],
          key: (e) => e.payload.country,
        }),
        counter({
          name: 'items',
          eventStore: ordersStore,
          eventTypes: ['ORDER_PLACED'],
          key: () => 'all',
          by: (e) => e.payload.quantity,
        }),
      ],
      reportBatchItemFailures: true,
      logger: new Logger({ serviceName: 'order-counts' }),
      metrics: new Metrics({ namespace: 'CastoreCounters', serviceName: 'order-counts' }),
    });
    await captureOutput(() => projection.handler({ Records: [placed(1)] }));

    const modified = { ...placed(2), eventName: 'MODIFY' } as DynamoDBRecord;
    const noCountry = placed(3, { customerId: 'c', quantity: 1 });
    const lines = await captureOutput(() =>
      projection.handler({ Records: [placed(0), placed(1), modified, noCountry, placed(4)] }),
    );

    const failure = lines.find((line) => line.level === 'ERROR');
    expect(failure).toMatchObject({
      message: `castore-dynamodb-counter: record ${sequenceNumberOf(3)} not counted`,
      service: 'order-counts',
      sequenceNumber: sequenceNumberOf(3),
      position: 3,
      aggregateKey: 'orders#o3',
      version: '1',
      errorCode: 'InvalidIncrement',
      recordsFailed: 2,
    });
    expect(failure?.errorMessage).toMatch(/Counter orders/);

    const batch = lines.find((line) => line.level === 'INFO');
    const { oldestRecordAgeMs, ...figures } = batch as Record<string, unknown> & {
      oldestRecordAgeMs: number;
    };
    expect(figures).toMatchObject({
      message: 'castore-dynamodb-counter: batch handled',
      records: 5,
      counted: 1, // o0
      duplicate: 1, // o1, counted by the first delivery
      skipped: { NotAnInsert: 1, UnknownEventStore: 0, NoCounter: 0, SetAside: 0, NotExact: 0 },
      failed: 2, // o3 and the o4 after it
      failedCode: 'InvalidIncrement',
      incrementsCounted: 2, // o0 in both counters
      incrementsDuplicate: 2,
      // One transaction cancelled because o1's refs exist, then one without them; no retry.
      transactions: 2,
      retries: 0,
    });
    expect(oldestRecordAgeMs).toBeGreaterThanOrEqual(writtenSecondsAgo * 1000 - 1000);
    expect(oldestRecordAgeMs).toBeLessThan(writtenSecondsAgo * 1000 + 60_000);

    const emf = lines.find((line) => '_aws' in line) as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[];
      };
    };
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe('CastoreCounters');
    // Powertools' `service` dimension: the CDK construct's RecordsFailed alarm looks there.
    expect(directive).toMatchObject({ Dimensions: [['service']] });
    expect(emf.service).toBe('order-counts');
    const published = Object.fromEntries(
      (directive?.Metrics ?? []).map(({ Name }) => [Name, emf[Name]]),
    );
    expect(published).toEqual({
      Records: 5,
      RecordsCounted: 1,
      RecordsDuplicate: 1,
      RecordsSkipped: 1,
      RecordsSkippedNotAnInsert: 1,
      RecordsSkippedUnknownEventStore: 0,
      RecordsSkippedNoCounter: 0,
      RecordsSkippedSetAside: 0,
      RecordsSkippedNotExact: 0,
      RecordsFailed: 2,
      RecordsFailedInvalidIncrement: 2,
      IncrementsCounted: 2,
      IncrementsDuplicate: 2,
      Transactions: 2,
      TransactionRetries: 0,
      OldestRecordAge: oldestRecordAgeMs,
    });
    expect(directive?.Metrics.find(({ Name }) => Name === 'OldestRecordAge')?.Unit).toBe(
      'Milliseconds',
    );
    expect(
      await projection.getCounts([
        { counterName: 'orders', key: 'FR' },
        { counterName: 'items', key: 'all' },
      ]),
    ).toEqual([2, 4]);
  });
});
