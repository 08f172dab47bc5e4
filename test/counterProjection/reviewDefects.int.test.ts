import { type EventDetail, EventStore } from '@castore/core';
import { describe, expect, it } from 'vitest';

import {
  type Counter,
  counter,
  CounterProjection,
  type CounterProjectionOptions,
} from '../../src/counterProjection/index.js';
import { ImageParser } from '../../src/imageParser/index.js';
import { withTransactionConflicts } from '../support/conflictingClient.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { withTransactionFaults } from '../support/faultyClient.js';
import { deliverLikeLambda } from '../support/lambdaHarness.js';
import { insertRecord, sequenceNumberOf } from '../support/records.js';
import { toLambdaRecord } from '../support/streams.js';

const { client, createTestCountsTable } = useDynamoDB();

const ordersStore = makeOrdersStore();
const placed = (index: number, { aggregateId = `o${index}`, country = 'FR' } = {}) =>
  insertRecord(
    'orders',
    {
      aggregateId,
      version: 1,
      type: 'ORDER_PLACED',
      timestamp: '2024-01-01T00:00:00.000Z',
      payload: { customerId: 'c', country, quantity: 1 },
    } as EventDetail,
    sequenceNumberOf(index),
  );

const byCountry = counter({
  name: 'byCountry',
  eventStore: ordersStore,
  eventTypes: ['ORDER_PLACED'],
  key: (e) => e.payload.country,
});

/** A projection of the orders store on a counts table of its own, through `dynamoDBClient` (default the real one). */
const projectionOf = async <COUNTER extends Counter<'orders'>>(
  counters: COUNTER[],
  options: Partial<CounterProjectionOptions<typeof ordersStore, COUNTER>> = {},
) => {
  const countsTableName = await createTestCountsTable();
  return new CounterProjection({
    dynamoDBClient: client,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters,
    logger: { error: () => undefined },
    ...options,
  });
};

describe('defects found by review, each counted or refused as it must be', () => {
  it('sums coalesced increments exactly: three of 2^53 - 1 in one transaction, read back as a bigint', async () => {
    const big = counter({
      name: 'big',
      eventStore: ordersStore,
      key: () => 'all',
      by: Number.MAX_SAFE_INTEGER,
      windows: ['day'],
    });
    const projection = await projectionOf([big]);
    const { stats } = await projection.processRecords([placed(0), placed(1), placed(2)]);
    expect(stats.counted).toBe(3);
    const exact = 3n * BigInt(Number.MAX_SAFE_INTEGER);
    expect(await projection.getExactCount('big', 'all')).toBe(exact);
    expect(
      await projection.getExactCount('big', 'all', { window: 'day', bucket: '2024-01-01' }),
    ).toBe(exact);
    // A number would round it: refused with a typed error rather than a wrong count.
    await expect(projection.getCount('big', 'all')).rejects.toMatchObject({
      code: 'CountTooLarge',
      count: exact.toString(),
    });
  });

  it('refuses keys with lone surrogates, which DynamoDB would store as one key', async () => {
    const projection = await projectionOf([byCountry]);
    const result = await projection.processRecords([placed(0, { country: 'x\uD800' })]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberOf(0) }]);
    expect(result.error).toMatchObject({
      code: 'InvalidIncrement',
      field: 'key',
      value: 'x\uD800',
    });
  });

  it('finds no event store named after an Object property (constructor, toString, __proto__)', () => {
    const parser = new ImageParser({
      sourceEventStores: [ordersStore],
      unknownEventStores: 'skip',
    });
    for (const name of ['constructor', 'toString', '__proto__']) {
      const record = insertRecord(
        'orders',
        {
          aggregateId: 'a',
          version: 1,
          type: 'ORDER_CANCELLED',
          timestamp: '2024-01-01T00:00:00.000Z',
        },
        sequenceNumberOf(1),
      );
      (record.dynamodb as { NewImage: Record<string, unknown> }).NewImage.aggregateId = {
        S: `${name}#a`,
      };
      expect(parser.parseRecord(record)).toMatchObject({
        kind: 'skipped',
        reason: 'UnknownEventStore',
      });
    }
    const foreign = new EventStore({
      eventStoreId: 'toString',
      eventTypes: ordersStore.eventTypes,
      reducer: ordersStore.reducer,
    });
    const wrong = () =>
      new CounterProjection({
        dynamoDBClient: client,
        countsTableName: 'unused',
        sourceEventStores: [ordersStore],
        counters: [counter({ name: 'c', eventStore: foreign, key: () => 'k' }) as never],
      });
    expect(wrong).toThrow(
      expect.objectContaining({ code: 'InvalidCounterDefinition', field: 'eventStore' }),
    );
  });

  it('counts an event whose default targetRef is longer than a sort key, once, and lists it whole', async () => {
    const projection = await projectionOf([byCountry]);
    const aggregateId = 'é'.repeat(1_000); // 2,000 bytes: a partition key the adapter accepts
    const first = await projection.processRecords([placed(0, { aggregateId })]);
    const again = await projection.processRecords([placed(0, { aggregateId })]);
    expect(first.stats).toMatchObject({ counted: 1, failed: 0 });
    expect(again.stats).toMatchObject({ counted: 0, duplicates: 1 });
    const { refs } = await projection.listCountedRefs('byCountry', 'FR');
    expect(refs.map((ref) => ref.targetRef)).toEqual([`orders#${aggregateId}#1`]);
  });

  it('counts an increment whose commit answer was lost as counted, not as a duplicate (ClientRequestToken)', async () => {
    const lostAnswer = withTransactionFaults(client, { after: new Set([0]) }, () =>
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    );
    const projection = await projectionOf([byCountry], {
      dynamoDBClient: lostAnswer,
      retry: { baseDelayMs: 1 },
    });
    const { stats } = await projection.processRecords([placed(0)]);
    expect(stats).toMatchObject({ counted: 1, duplicates: 0, failed: 0 });
    expect(await projection.getCount('byCountry', 'FR')).toBe(1);
  });

  it('never sends two transactions of one hot key at once (a client that conflicts as AWS does)', async () => {
    const hot = counter({
      name: 'hot',
      eventStore: ordersStore,
      key: () => 'all',
      windows: ['hour'],
    });
    const conflicting = withTransactionConflicts(client);
    // No retry: a conflict would fail the batch.
    const projection = await projectionOf([hot], {
      dynamoDBClient: conflicting.client,
      retry: { maxAttempts: 1 },
      concurrency: 4,
    });
    const records = Array.from({ length: 350 }, (_, index) => placed(index));
    const { stats, batchItemFailures } = await projection.processRecords(records);
    expect(conflicting.conflicts()).toBe(0);
    expect(batchItemFailures).toEqual([]);
    expect(stats.counted).toBe(350);
    expect(await projection.getCount('hot', 'all')).toBe(350);
  });

  it.each([0, 0.5, -1, Number.NaN])(
    'refuses %s as concurrency, retry.maxAttempts and rebuild segments, with a typed error',
    async (value) => {
      const make = (options: object) => () =>
        new CounterProjection({
          dynamoDBClient: client,
          countsTableName: 'unused',
          sourceEventStores: [ordersStore],
          counters: [],
          ...options,
        });
      expect(make({ concurrency: value })).toThrow(
        expect.objectContaining({ code: 'InvalidOption', option: 'concurrency', value }),
      );
      expect(make({ retry: { maxAttempts: value } })).toThrow(
        expect.objectContaining({ code: 'InvalidOption', option: 'retry.maxAttempts' }),
      );
      const projection = make({})();
      await expect(
        projection.rebuild({ eventTableName: 'unused', segments: value }),
      ).rejects.toMatchObject({ code: 'InvalidOption', option: 'segments' });
    },
  );
});

describe('the Lambda handler, deployed with or without ReportBatchItemFailures (a harness that behaves as Lambda)', () => {
  const setUp = async (options: { reportBatchItemFailures?: boolean }) => {
    // The first transaction fails: a record fails once, then succeeds when retried.
    const failingOnce = withTransactionFaults(client, { before: new Set([0]) });
    return projectionOf([byCountry], { dynamoDBClient: failingOnce, ...options });
  };
  const records = [placed(0), placed(1, { country: 'DE' }), placed(2)].map(toLambdaRecord);

  it('throws when a record fails and partial batch responses are not declared: a mapping without the setting retries, nothing is lost', async () => {
    const projection = await setUp({});
    const delivery = await deliverLikeLambda({
      handler: projection.handler,
      records,
      reportBatchItemFailures: false,
    });
    expect(delivery).toEqual({ checkpointed: 3, invokes: 2 });
    expect(
      await projection.getCounts([
        { counterName: 'byCountry', key: 'FR' },
        { counterName: 'byCountry', key: 'DE' },
      ]),
    ).toEqual([2, 1]);
  });

  it('returns batchItemFailures when declared, which a mapping with the setting retries from the reported record', async () => {
    const projection = await setUp({ reportBatchItemFailures: true });
    await expect(projection.handler({ Records: records })).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: sequenceNumberOf(0) }],
    });
    const delivery = await deliverLikeLambda({
      handler: projection.handler,
      records,
      reportBatchItemFailures: true,
    });
    expect(delivery).toEqual({ checkpointed: 3, invokes: 1 });
    expect(
      await projection.getCounts([
        { counterName: 'byCountry', key: 'FR' },
        { counterName: 'byCountry', key: 'DE' },
      ]),
    ).toEqual([2, 1]);
  });
});
