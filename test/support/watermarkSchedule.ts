import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventDetail } from '@castore/core';
import fc from 'fast-check';

import {
  counter,
  CounterProjection,
  createCountsTable,
} from '../../src/counterProjection/index.js';
import { dropTables } from '../../src/dynamoDBLocal/dropTables.js';
import { makeOrdersStore } from '../../src/example/eventStores.js';
import { isCounterError } from '../../src/shared/index.js';
import { interceptSend } from './interceptSend.js';
import { insertRecord } from './records.js';

/*
 * A model-based property of shardWatermark counters, on DynamoDB Local (issue 25). Each
 * schedule has shards of records (keys a, b, c; some "poison": no country, which the strict
 * counters cannot key) and steps of a consumer with a checkpoint per shard: deliveries of a
 * contiguous run from the checkpoint (some with a transaction failing, a fake: DynamoDB Local
 * never fails one; some whose answer is lost, so the run comes again), rewinds (a consumer
 * behind another) and, in the refused setting only, dead letters (a run skipped, replayed
 * at the end, twice). Then every shard is drained, the counters are fixed (poison counts as
 * "unknown") and the records set aside are counted.
 *
 * The model, apart from the code: a key's count is the sum of `by` over every record of
 * every shard that maps to it, each once. The oracle: the refs counter always equals the
 * model; the watermark counter equals it where the setting is accepted (no dead letter),
 * and where it is not, each read equals it or refuses with CounterNotExact, never wrong.
 */

const recordArbitrary = fc.record({
  key: fc.constantFrom('a', 'b', 'c'),
  by: fc.integer({ min: 1, max: 3 }),
  poison: fc.integer({ min: 0, max: 11 }).map((n) => n === 0),
  gap: fc.integer({ min: 1, max: 1_000 }),
});

const stepArbitrary = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      shard: fc.nat(),
      size: fc.integer({ min: 1, max: 12 }),
      failTransaction: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      loseAnswer: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rewind' as const),
      shard: fc.nat(),
      back: fc.integer({ min: 1, max: 10 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deadLetter' as const),
      shard: fc.nat(),
      size: fc.integer({ min: 1, max: 8 }),
    }),
  },
);

export const watermarkScheduleArbitrary = fc.record({
  shards: fc.array(fc.array(recordArbitrary, { minLength: 1, maxLength: 30 }), {
    minLength: 1,
    maxLength: 3,
  }),
  steps: fc.array(stepArbitrary, { maxLength: 25 }),
  /** The refused setting: dead letters happen (and are replayed). */
  deadLetters: fc.boolean(),
});
export type WatermarkSchedule =
  typeof watermarkScheduleArbitrary extends fc.Arbitrary<infer T> ? T : never;

const ordersStore = makeOrdersStore();
const COUNTED_KEYS = ['a', 'b', 'c', 'unknown'];
// Near the 21/22-digit boundary: sequence numbers cross it, and every shard reuses them.
const FIRST_SEQUENCE_NUMBER = 999_999_999_999_999_990_000n;

const countersKeyedBy = (key: (country: string | undefined) => string) => [
  counter({
    name: 'watermark',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (event) => key((event.payload as { country?: string }).country),
    by: (event) => event.payload.quantity,
    idempotency: 'shardWatermark',
  }),
  counter({
    name: 'refs',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (event) => key((event.payload as { country?: string }).country),
    by: (event) => event.payload.quantity,
  }),
];
// Strict: a poison record's key is undefined, which fails it. Fixed: it counts as "unknown".
const strict = countersKeyedBy((country) => country as string);
const fixed = countersKeyedBy((country) => country ?? 'unknown');

/** The stream records of each shard, in order, with sequence numbers that grow with gaps. */
const shardRecords = (schedule: WatermarkSchedule): StreamsApiRecord[][] =>
  schedule.shards.map((records, shard) => {
    let sequenceNumber = FIRST_SEQUENCE_NUMBER;
    return records.map(({ key, by, poison, gap }, index) => {
      sequenceNumber += BigInt(gap);
      const event = {
        aggregateId: `s${shard}-r${index}`,
        version: 1,
        type: 'ORDER_PLACED',
        timestamp: '2024-01-01T00:00:00.000Z',
        payload: { customerId: 'c', quantity: by, ...(poison ? {} : { country: key }) },
      } as EventDetail;
      return insertRecord('orders', event, String(sequenceNumber));
    });
  });

/** The model: each key's count, every record of every shard once, poison as "unknown". */
export const modelCounts = (schedule: WatermarkSchedule): Map<string, number> => {
  const counts = new Map(COUNTED_KEYS.map((key) => [key, 0]));
  for (const records of schedule.shards)
    for (const { key, by, poison } of records) {
      const counted = poison ? 'unknown' : key;
      counts.set(counted, (counts.get(counted) ?? 0) + by);
    }
  return counts;
};

/** A client whose n-th TransactWriteItems of the current delivery fails (a fake: Local never does). */
const faultyClient = (client: DynamoDBClient) => {
  let failAt: number | undefined;
  let seen = 0;
  const proxy = interceptSend(client, async (command, send) => {
    if (command?.constructor.name === 'TransactWriteItemsCommand') {
      seen += 1;
      if (seen === failAt)
        throw Object.assign(new Error('injected'), {
          name: 'InternalServerError',
          $fault: 'server',
        });
    }
    return send(command);
  });
  return {
    client: proxy,
    arm: (nth: number | undefined) => {
      failAt = nth;
      seen = 0;
    },
  };
};

export interface WatermarkOutcome {
  problems: string[];
  /** Whether the watermark counter refused its reads (only allowed with dead letters). */
  refused: boolean;
  deliveries: number;
  failedDeliveries: number;
  deadLetters: number;
  setAside: number;
}

const projectionOf = (
  dynamoDBClient: DynamoDBClient,
  countsTableName: string,
  counters: typeof strict,
) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore],
    counters,
    retry: { maxAttempts: 1, baseDelayMs: 0 },
    logger: { error: () => undefined },
  });

/** Plays a schedule (see the top of this file) and says what the oracle found wrong. */
export const checkWatermarkSchedule = async (
  schedule: WatermarkSchedule,
  { dynamoDBClient }: { dynamoDBClient: DynamoDBClient },
): Promise<WatermarkOutcome> => {
  const countsTableName = `counts-wm-${Math.random().toString(36).slice(2, 10)}`;
  await createCountsTable({ dynamoDBClient, tableName: countsTableName });
  const faulty = faultyClient(dynamoDBClient);
  const projection = projectionOf(faulty.client, countsTableName, strict);
  const shards = shardRecords(schedule);
  const checkpoints = shards.map(() => 0);
  const deadLettered: { shardId: string; records: StreamsApiRecord[] }[] = [];
  const outcome: WatermarkOutcome = {
    problems: [],
    refused: false,
    deliveries: 0,
    failedDeliveries: 0,
    deadLetters: 0,
    setAside: 0,
  };
  const deliver = async (shard: number, size: number, failAt?: number, loseAnswer = false) => {
    const from = checkpoints[shard] as number;
    const records = (shards[shard] as StreamsApiRecord[]).slice(from, from + size);
    if (records.length === 0) return;
    faulty.arm(failAt);
    const result = await projection.processRecords(records, {
      shardId: `shardId-${shard}`,
      delivery: 'stream',
    });
    faulty.arm(undefined);
    outcome.deliveries += 1;
    outcome.setAside += result.fates.skipped.SetAside;
    const failed = result.batchItemFailures[0]?.itemIdentifier;
    if (failed !== undefined) outcome.failedDeliveries += 1;
    const done =
      failed === undefined
        ? records.length
        : records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
    if (!loseAnswer) checkpoints[shard] = from + done;
  };

  try {
    for (const step of schedule.steps) {
      const shard = step.shard % shards.length;
      if (step.kind === 'deliver')
        await deliver(shard, step.size, step.failTransaction, step.loseAnswer);
      else if (step.kind === 'rewind')
        checkpoints[shard] = Math.max(0, (checkpoints[shard] as number) - step.back);
      else if (schedule.deadLetters) {
        const from = checkpoints[shard] as number;
        const records = (shards[shard] as StreamsApiRecord[]).slice(from, from + step.size);
        if (records.length > 0) deadLettered.push({ shardId: `shardId-${shard}`, records });
        checkpoints[shard] = from + records.length;
        outcome.deadLetters += 1;
      }
    }
    for (const [shard, records] of shards.entries())
      for (let guard = 0; (checkpoints[shard] as number) < records.length && guard < 100; guard++)
        await deliver(shard, 7);
    await settle(dynamoDBClient, countsTableName, deadLettered);
    await checkCounts(dynamoDBClient, countsTableName, schedule, outcome);
  } finally {
    await dropTables(dynamoDBClient, [countsTableName]);
  }
  return outcome;
};

/** The counters fixed: dead letters replayed (twice), the records set aside counted. */
const settle = async (
  dynamoDBClient: DynamoDBClient,
  countsTableName: string,
  deadLettered: { shardId: string; records: StreamsApiRecord[] }[],
) => {
  const projection = projectionOf(dynamoDBClient, countsTableName, fixed);
  for (let time = 0; time < 2; time++)
    for (const { shardId, records } of deadLettered)
      await projection.processRecords(records, { shardId, delivery: 'replay' });
  await projection.countSetAside();
};

const checkCounts = async (
  dynamoDBClient: DynamoDBClient,
  countsTableName: string,
  schedule: WatermarkSchedule,
  outcome: WatermarkOutcome,
) => {
  const projection = projectionOf(dynamoDBClient, countsTableName, fixed);
  for (const [key, expected] of modelCounts(schedule)) {
    const refs = await projection.getCount('refs', key);
    if (refs !== expected) outcome.problems.push(`refs ${key}: ${refs}, expected ${expected}`);
    try {
      const watermark = await projection.getCount('watermark', key);
      if (watermark !== expected)
        outcome.problems.push(`watermark ${key}: ${watermark}, expected ${expected}`);
    } catch (error) {
      if (!isCounterError(error, 'CounterNotExact')) throw error;
      outcome.refused = true;
      if (outcome.deadLetters === 0)
        outcome.problems.push(`watermark ${key} refused without a dead letter`);
    }
  }
};
