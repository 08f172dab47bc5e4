import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventDetail } from '@castore/core';
import fc from 'fast-check';

import { createEventTable, toEventItem } from '../../src/adapter/index.js';
import { createCountsTable } from '../../src/counterProjection/index.js';
import { dropTables } from '../../src/dynamoDBLocal/dropTables.js';
import { createCheckpointTable, isCounterError } from '../../src/shared/index.js';
import { type ShardDeliveries, shardDeliveries } from '../../src/testing/index.js';
import { interceptSend } from './interceptSend.js';
import { insertRecord } from './records.js';
import { type Module, projectionOf } from './watermarkProjections.js';

/*
 * A model-based property of shardWatermark counters, on DynamoDB Local (issues 25, 32, 33).
 * Each schedule has shards of records (keys a, b, c; some "poison": no country, which the
 * strict module cannot key) and steps of a consumer with a checkpoint per shard, claimed as
 * the stream runner claims: deliveries of a contiguous run from the checkpoint (some with a
 * counts write failing, a fake: DynamoDB Local never fails one; some whose runner is killed
 * before its checkpoint, so the run comes again), rewinds (a runner restarted behind
 * another), a later module that throws on key b (a deployment: records it already counted
 * must stay counted once), a rebuild beginning beside the first delivery, and, in the refused
 * setting only, dead letters (a run skipped, replayed at the end, twice). Then every shard is
 * drained with the strict module, the counters are fixed (poison counts as "unknown") and the
 * records set aside are counted.
 *
 * The model, apart from the code: a key's count is the sum of `by` over every record of
 * every shard that maps to it, each once. The oracle: the refs counter always equals the
 * model; the marks counter (its total and its day bucket) equals it where the setting is
 * accepted (no dead letter), and where it is not, each read equals it or refuses with
 * CounterNotExact, never anything else.
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
      failWrite: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
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
      kind: fc.constant('module' as const),
      module: fc.constantFrom<Module>('strict', 'throwsOnB'),
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
  /** A rebuild begins while the first delivery is between reading the marks and writing. */
  rebuildBeside: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});
export type WatermarkSchedule =
  typeof watermarkScheduleArbitrary extends fc.Arbitrary<infer T> ? T : never;

const COUNTED_KEYS = ['a', 'b', 'c', 'unknown'];
// Near the 21/22-digit boundary: sequence numbers cross it, and every shard reuses them.
const FIRST_SEQUENCE_NUMBER = 999_999_999_999_999_990_000n;

const eventOf = (
  shard: number,
  index: number,
  { key, by, poison }: WatermarkSchedule['shards'][number][number],
) =>
  ({
    aggregateId: `s${shard}-r${index}`,
    version: 1,
    type: 'ORDER_PLACED',
    timestamp: '2024-01-01T00:00:00.000Z',
    payload: { customerId: 'c', quantity: by, ...(poison ? {} : { country: key }) },
  }) as EventDetail;

/**
 * The stream records of each shard, in order, with sequence numbers that grow with gaps:
 * shard 1's shaped as DynamoDB Local's (21 digits, leading zeros), the others as AWS's.
 */
const shardRecords = (schedule: WatermarkSchedule): StreamsApiRecord[][] =>
  schedule.shards.map((records, shard) => {
    let sequenceNumber = shard === 1 ? 0n : FIRST_SEQUENCE_NUMBER;
    return records.map((record, index) => {
      sequenceNumber += BigInt(record.gap);
      const shaped = String(sequenceNumber).padStart(21, '0');
      return insertRecord('orders', eventOf(shard, index, record), shaped);
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

/**
 * A client whose n-th counts write of the current delivery fails (a fake: Local never does),
 * and whose first mark write can be held while something else happens (a rebuild).
 */
const faultyClient = (client: DynamoDBClient) => {
  let failAt: number | undefined;
  let seen = 0;
  let hold: ((command: unknown) => Promise<void>) | undefined;
  const proxy = interceptSend(client, async (command, send) => {
    const name = (command as { constructor: { name: string } }).constructor.name;
    if (name === 'UpdateItemCommand' || name === 'TransactWriteItemsCommand') {
      seen += 1;
      if (hold !== undefined) await hold(command);
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
    holdWith: (wait: ((command: unknown) => Promise<void>) | undefined) => (hold = wait),
  };
};

export interface WatermarkOutcome {
  problems: string[];
  /** Whether the marks counter refused its reads (only allowed with dead letters). */
  refused: boolean;
  deliveries: number;
  failedDeliveries: number;
  deadLetters: number;
  setAside: number;
  /** Deliveries that held a record decided before (RecordInDoubt). */
  held: number;
  rebuilt: boolean;
}

interface Tables {
  countsTableName: string;
  checkpointTableName: string;
  eventTableName: string;
}

const makeTables = async (dynamoDBClient: DynamoDBClient): Promise<Tables> => {
  const suffix = Math.random().toString(36).slice(2, 10);
  const tables = {
    countsTableName: `counts-wm-${suffix}`,
    checkpointTableName: `checkpoints-wm-${suffix}`,
    eventTableName: `events-wm-${suffix}`,
  };
  await createCountsTable({ dynamoDBClient, tableName: tables.countsTableName });
  await createCheckpointTable({ dynamoDBClient, tableName: tables.checkpointTableName });
  return tables;
};

/** Plays a schedule (see the top of this file) and says what the oracle found wrong. */
export const checkWatermarkSchedule = async (
  schedule: WatermarkSchedule,
  { dynamoDBClient }: { dynamoDBClient: DynamoDBClient },
): Promise<WatermarkOutcome> => {
  const tables = await makeTables(dynamoDBClient);
  const outcome: WatermarkOutcome = {
    problems: [],
    refused: false,
    deliveries: 0,
    failedDeliveries: 0,
    deadLetters: 0,
    setAside: 0,
    held: 0,
    rebuilt: false,
  };
  try {
    const consumer = new Consumer(schedule, dynamoDBClient, tables, outcome);
    if (schedule.rebuildBeside) await consumer.rebuildBesideFirstDelivery();
    for (const step of schedule.steps) await consumer.play(step);
    await consumer.drain();
    await settle(dynamoDBClient, tables.countsTableName, consumer.deadLettered);
    await checkCounts(dynamoDBClient, tables.countsTableName, schedule, outcome);
  } finally {
    await dropTables(dynamoDBClient, Object.values(tables));
  }
  return outcome;
};

/** The consumer of the schedule's shards: a checkpoint per shard, its runner, its module. */
class Consumer {
  readonly deadLettered: { shardId: string; records: StreamsApiRecord[] }[] = [];
  private readonly shards: StreamsApiRecord[][];
  private readonly checkpoints: number[];
  private readonly runners: ShardDeliveries[];
  private readonly faulty: ReturnType<typeof faultyClient>;
  private module: Module = 'strict';

  constructor(
    private readonly schedule: WatermarkSchedule,
    private readonly dynamoDBClient: DynamoDBClient,
    private readonly tables: Tables,
    private readonly outcome: WatermarkOutcome,
  ) {
    this.shards = shardRecords(schedule);
    this.checkpoints = this.shards.map(() => 0);
    this.runners = this.shards.map((_, shard) => this.runnerOf(shard));
    this.faulty = faultyClient(dynamoDBClient);
  }

  private runnerOf = (shard: number) =>
    shardDeliveries({
      dynamoDBClient: this.dynamoDBClient,
      checkpointTableName: this.tables.checkpointTableName,
      shardId: `shardId-0000000${shard}`,
    });

  play = async (step: WatermarkSchedule['steps'][number]): Promise<void> => {
    if (step.kind === 'module') return void (this.module = step.module);
    const shard = step.shard % this.shards.length;
    if (step.kind === 'deliver')
      return this.deliver(shard, step.size, step.failWrite, step.loseAnswer);
    if (step.kind === 'rewind') {
      // A runner restarted behind the other: its own memory, an older checkpoint.
      this.checkpoints[shard] = Math.max(0, (this.checkpoints[shard] as number) - step.back);
      this.runners[shard] = this.runnerOf(shard);
      return;
    }
    if (!this.schedule.deadLetters) return;
    const from = this.checkpoints[shard] as number;
    const records = (this.shards[shard] as StreamsApiRecord[]).slice(from, from + step.size);
    if (records.length > 0) this.deadLettered.push({ shardId: `shardId-0000000${shard}`, records });
    this.checkpoints[shard] = from + records.length;
    this.outcome.deadLetters += 1;
  };

  deliver = async (shard: number, size: number, failAt?: number, loseAnswer = false) => {
    const from = this.checkpoints[shard] as number;
    const records = (this.shards[shard] as StreamsApiRecord[]).slice(from, from + size);
    if (records.length === 0) return;
    this.faulty.arm(failAt);
    const projection = projectionOf(this.faulty.client, this.tables.countsTableName, this.module);
    const result = await (this.runners[shard] as ShardDeliveries).deliver(projection, records, {
      checkpoint: !loseAnswer,
    });
    this.faulty.arm(undefined);
    this.outcome.deliveries += 1;
    this.outcome.setAside += result.fates.skipped.SetAside;
    if (isCounterError(result.error, 'RecordInDoubt')) this.outcome.held += 1;
    const failed = result.batchItemFailures[0]?.itemIdentifier;
    if (failed !== undefined) this.outcome.failedDeliveries += 1;
    const done =
      failed === undefined
        ? records.length
        : records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
    if (!loseAnswer) this.checkpoints[shard] = from + done;
  };

  /** Every shard to its end, with the strict module (a later module's holds resolve). */
  drain = async (): Promise<void> => {
    this.module = 'strict';
    for (const [shard, records] of this.shards.entries())
      for (
        let guard = 0;
        (this.checkpoints[shard] as number) < records.length && guard < 100;
        guard++
      )
        await this.deliver(shard, 7);
  };

  /**
   * A rebuild of the counters, beginning while the first delivery has read the (absent)
   * rebuild marks and not yet written: the events are in an event table, as the stream has them.
   */
  rebuildBesideFirstDelivery = async (): Promise<void> => {
    const { eventTableName, countsTableName } = this.tables;
    await createEventTable({ dynamoDBClient: this.dynamoDBClient, tableName: eventTableName });
    for (const [shard, records] of this.schedule.shards.entries())
      for (const [index, record] of records.entries())
        await this.dynamoDBClient.send(
          new PutItemCommand({
            TableName: eventTableName,
            Item: toEventItem(eventOf(shard, index, record), 'orders'),
          }),
        );
    let reached: () => void = () => undefined;
    const atWrite = new Promise<void>((resolve) => (reached = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.faulty.holdWith(async () => {
      reached();
      await released;
    });
    const delivery = this.deliver(0, 12);
    await Promise.race([atWrite, delivery]);
    // The delivery's writes wait (every one of them) while the rebuild runs, whole.
    const fixed = projectionOf(this.dynamoDBClient, countsTableName, 'fixed');
    await fixed.rebuild({ eventTableName, segments: 2 });
    this.outcome.rebuilt = true;
    release();
    await delivery;
    this.faulty.holdWith(undefined);
  };
}

/** The counters fixed: dead letters replayed (twice), the records set aside counted. */
const settle = async (
  dynamoDBClient: DynamoDBClient,
  countsTableName: string,
  deadLettered: { shardId: string; records: StreamsApiRecord[] }[],
) => {
  const projection = projectionOf(dynamoDBClient, countsTableName, 'fixed');
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
  const projection = projectionOf(dynamoDBClient, countsTableName, 'fixed');
  for (const [key, expected] of modelCounts(schedule)) {
    const refs = await projection.getCount('refs', key);
    if (refs !== expected) outcome.problems.push(`refs ${key}: ${refs}, expected ${expected}`);
    for (const [read, name] of [
      [() => projection.getCount('marks', key), 'marks'],
      [
        () => projection.getCount('marks', key, { window: 'day', bucket: '2024-01-01' }),
        'marks day',
      ],
    ] as const) {
      try {
        const counted = await read();
        if (counted !== expected)
          outcome.problems.push(`${name} ${key}: ${counted}, expected ${expected}`);
      } catch (error) {
        if (!isCounterError(error, 'CounterNotExact')) throw error;
        outcome.refused = true;
        if (outcome.deadLetters === 0)
          outcome.problems.push(`${name} ${key} refused without a dead letter`);
      }
    }
  }
};
