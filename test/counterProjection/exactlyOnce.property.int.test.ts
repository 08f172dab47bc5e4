import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventDetail } from '@castore/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection, toBucket } from '../../src/counterProjection/index.js';
import { CounterReactions, pushEventReaction } from '../../src/counterReactions/index.js';
import { makeCountReachedStore } from '../../src/example/eventStores.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore, makeUsersStore } from '../support/eventStores.js';
import { withTransactionFaults } from '../support/faultyClient.js';
import { insertRecord, sequenceNumberOf } from '../support/records.js';
import { readStream } from '../support/streams.js';

const { client, streamsClient, createTestEventTable, createTestCountsTable } = useDynamoDB();

// Stores only lend their event types here: records are built in the adapter's layout.
const ordersStore = makeOrdersStore();
const usersStore = makeUsersStore();

const counters = [
  counter({
    name: 'byCountry',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (e) => e.payload.country,
    windows: ['hour'],
    thresholds: [1, 3],
  }),
  counter({
    name: 'items',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (e) => e.payload.country,
    by: (e) => e.payload.quantity,
    thresholds: [5, 10],
    floors: [0, -2],
  }),
  counter({
    name: 'open',
    eventStore: ordersStore,
    key: () => 'all',
    by: (e) => (e.type === 'ORDER_PLACED' ? 1 : e.type === 'ORDER_CANCELLED' ? -1 : 0),
    thresholds: [2],
    floors: [0],
  }),
  counter({
    name: 'signups',
    eventStore: usersStore,
    eventTypes: ['USER_SIGNED_UP'],
    key: (e) => e.payload.plan,
    windows: ['minute', 'day'],
    refShards: 3,
  }),
];

const projectionOn = (dynamoDBClient: DynamoDBClient, countsTableName: string) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName,
    sourceEventStores: [ordersStore, usersStore],
    counters,
    retry: { maxAttempts: 2, baseDelayMs: 1 },
    logger: { error: () => undefined },
  });

// ---- the events and the stream they make ----
const eventArbitrary = fc.oneof(
  fc.record({
    eventStoreId: fc.constant('orders' as const),
    aggregate: fc.integer({ min: 0, max: 5 }),
    minute: fc.integer({ min: 0, max: 180 }),
    detail: fc.oneof(
      fc.record({
        type: fc.constant('ORDER_PLACED' as const),
        payload: fc.record({
          customerId: fc.constant('c'),
          country: fc.constantFrom('FR', 'DE', 'E#S'),
          quantity: fc.integer({ min: -3, max: 9 }),
        }),
      }),
      fc.record({
        type: fc.constant('ORDER_SHIPPED' as const),
        payload: fc.record({ carrier: fc.constant('ups') }),
      }),
      fc.record({ type: fc.constant('ORDER_CANCELLED' as const) }),
    ),
  }),
  fc.record({
    eventStoreId: fc.constant('users' as const),
    aggregate: fc.integer({ min: 0, max: 5 }),
    minute: fc.integer({ min: 0, max: 180 }),
    detail: fc.oneof(
      fc.record({
        type: fc.constant('USER_SIGNED_UP' as const),
        payload: fc.record({ plan: fc.constantFrom('free' as const, 'pro' as const) }),
      }),
      fc.record({ type: fc.constant('USER_UPGRADED' as const), payload: fc.constant({}) }),
    ),
  }),
);

type GeneratedEvent = {
  eventStoreId: string;
  aggregate: number;
  minute: number;
  detail: { type: string; payload?: unknown };
};

const toStream = (
  generated: GeneratedEvent[],
): { records: StreamsApiRecord[]; messages: { eventStoreId: string; event: EventDetail }[] } => {
  const versions = new Map<string, number>();
  const messages = generated.map(({ eventStoreId, aggregate, minute, detail }) => {
    const aggregateId = `agg-${aggregate}`;
    const version = (versions.get(`${eventStoreId}#${aggregateId}`) ?? 0) + 1;
    versions.set(`${eventStoreId}#${aggregateId}`, version);
    const timestamp = new Date(Date.UTC(2024, 0, 1, 23) + minute * 60_000).toISOString();
    return { eventStoreId, event: { aggregateId, version, timestamp, ...detail } as EventDetail };
  });
  const records = messages.map(({ eventStoreId, event }, index) =>
    insertRecord(eventStoreId, event, sequenceNumberOf(index)),
  );
  return { records, messages };
};

/** The counts the events must produce: the model the table is compared with. */
const modelCounts = (messages: { eventStoreId: string; event: EventDetail }[]) => {
  const counts = new Map<string, number>();
  const refs = new Map<string, Set<string>>();
  const add = (id: string, by: number) => counts.set(id, (counts.get(id) ?? 0) + by);
  for (const message of messages) {
    for (const c of counters) {
      if (!c.listensTo(message)) continue;
      const [key, by, targetRef] = (['key', 'by', 'targetRef'] as const).map((field) =>
        c.read(field, message),
      );
      add(JSON.stringify([c.name, key]), by as number);
      for (const window of c.windows)
        add(
          JSON.stringify([c.name, key, window, toBucket(window, message.event.timestamp)]),
          by as number,
        );
      refs.set(
        JSON.stringify([c.name, key]),
        (refs.get(JSON.stringify([c.name, key])) ?? new Set()).add(targetRef as string),
      );
    }
  }
  return { counts, refs };
};

// ---- how the stream is delivered ----
const deliveryArbitrary = fc.record({
  start: fc.nat(),
  size: fc.integer({ min: 1, max: 40 }),
  duplicateFrom: fc.option(fc.nat(), { nil: undefined }),
  shuffleSeed: fc.option(fc.integer(), { nil: undefined }),
  faultBefore: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
  faultAfter: fc.option(fc.nat({ max: 4 }), { nil: undefined }),
});
type Delivery = typeof deliveryArbitrary extends fc.Arbitrary<infer T> ? T : never;

const shuffled = <T>(items: T[], seed: number): T[] => {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let index = copy.length - 1; index > 0; index--) {
    state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) >>> 0;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
};

/** A redelivered, re-split, reordered, partly duplicated batch, processed by a client that may fail. */
const chaoticDelivery = async (
  records: StreamsApiRecord[],
  delivery: Delivery,
  tableName: string,
) => {
  const start = delivery.start % records.length;
  let batch = records.slice(start, start + delivery.size);
  if (delivery.duplicateFrom !== undefined)
    batch = [...batch, ...batch.slice(delivery.duplicateFrom % batch.length)];
  if (delivery.shuffleSeed !== undefined) batch = shuffled(batch, delivery.shuffleSeed);
  const faulty = withTransactionFaults(client, {
    before: new Set(delivery.faultBefore === undefined ? [] : [delivery.faultBefore]),
    after: new Set(delivery.faultAfter === undefined ? [] : [delivery.faultAfter]),
  });
  await projectionOn(faulty, tableName).processRecords(batch);
};

/**
 * Lambda's way at the end: in order, resuming from each reported record, until all is
 * committed. Some of its transactions fail (before or after they are written), so that
 * where it resumes matters: resuming past the reported record would lose counts.
 */
const deliverInOrder = async (
  records: StreamsApiRecord[],
  batchSize: number,
  tableName: string,
  faults: { before: number[]; after: number[] },
) => {
  const faulty = withTransactionFaults(client, {
    before: new Set(faults.before),
    after: new Set(faults.after),
  });
  const projection = projectionOn(faulty, tableName);
  let position = 0;
  for (let rounds = 0; position < records.length; rounds++) {
    expect(rounds).toBeLessThan(records.length + 5 + faults.before.length + faults.after.length);
    const batch = records.slice(position, position + batchSize);
    const { batchItemFailures } = await projection.processRecords(batch);
    const failed = batchItemFailures[0]?.itemIdentifier;
    position =
      failed === undefined
        ? position + batch.length
        : records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
  }
};

const readTable = async (tableName: string, model: ReturnType<typeof modelCounts>) => {
  const projection = projectionOn(client, tableName);
  const ids = [...model.counts.keys()].map(
    (id) => JSON.parse(id) as [string, string, ('minute' | 'hour' | 'day')?, string?],
  );
  const values = await projection.getCounts(
    // The model knows which counters have which windows; the types cannot follow JSON ids.
    ids.map(([counterName, key, window, bucket]) => ({
      counterName,
      key,
      ...(window !== undefined ? { window, bucket } : {}),
    })) as Parameters<typeof projection.getCounts>[0],
  );
  const counts = new Map(ids.map((id, index) => [JSON.stringify(id), values[index]]));
  const refs = new Map<string, { targetRefs: string[]; sum: number }>();
  for (const id of model.refs.keys()) {
    const [counterName, key] = JSON.parse(id) as [string, string];
    const listed: { targetRef: string; by: number }[] = [];
    let pageToken: string | undefined;
    do {
      const page = await projection.listCountedRefs(counterName as 'open', key, {
        limit: 7,
        ...(pageToken !== undefined ? { pageToken } : {}),
      });
      listed.push(...page.refs);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    refs.set(id, {
      targetRefs: listed.map((r) => r.targetRef).sort(),
      sum: listed.reduce((s, r) => s + r.by, 0),
    });
  }
  return { counts, refs };
};

// ---- reactions to the counts table's stream ----
type Image = Record<string, { S?: string; N?: string }>;

/**
 * The crossings of the counts table's history, stated apart from the code: per total item,
 * its states in stream order after the initial 0; a threshold is reached if a state is at or
 * above it after an earlier one below it, a floor likewise downwards.
 */
const modelCrossings = (countsRecords: StreamsApiRecord[]): string[] => {
  const histories = new Map<string, { counterName: string; key: string; counts: bigint[] }>();
  for (const record of countsRecords) {
    const image = record.dynamodb?.NewImage as Image | undefined;
    if (record.dynamodb?.Keys?.sk?.S !== 'total' || image === undefined) continue;
    const id = record.dynamodb.Keys.pk?.S as string;
    const history = histories.get(id) ?? {
      counterName: image.counter?.S as string,
      key: image.key?.S as string,
      counts: [0n],
    };
    history.counts.push(BigInt(image.count?.N ?? '0'));
    histories.set(id, history);
  }
  const keys: string[] = [];
  for (const { counterName, key, counts } of histories.values()) {
    const definition = counters.find(({ name }) => name === counterName);
    const reached = (test: (earlier: bigint, later: bigint) => boolean) =>
      counts.some((later, i) => counts.slice(0, i).some((earlier) => test(earlier, later)));
    for (const t of definition?.thresholds ?? [])
      if (reached((a, b) => a < BigInt(t) && b >= BigInt(t)))
        keys.push(`${counterName}#${key}#threshold#${t}`);
    for (const f of definition?.floors ?? [])
      if (reached((a, b) => a > BigInt(f) && b <= BigInt(f)))
        keys.push(`${counterName}#${key}#floor#${f}`);
  }
  return keys.sort();
};

/** The counts table's stream delivered as the event table's was: stretches redelivered and shuffled, then in order. */
const react = async (countsRecords: StreamsApiRecord[], deliveries: Delivery[]) => {
  const eventTable = await createTestEventTable();
  const reachedStore = makeCountReachedStore(
    new DynamoDBSingleTableEventStorageAdapter({ tableName: eventTable, dynamoDBClient: client }),
  );
  const reactions = new CounterReactions({
    counters,
    react: pushEventReaction({ eventStore: reachedStore, eventType: 'COUNT_REACHED' }),
  });
  for (const { start, size, duplicateFrom, shuffleSeed } of deliveries) {
    if (countsRecords.length === 0) break;
    const from = start % countsRecords.length;
    let batch = countsRecords.slice(from, from + size);
    if (duplicateFrom !== undefined)
      batch = [...batch, ...batch.slice(duplicateFrom % batch.length)];
    if (shuffleSeed !== undefined) batch = shuffled(batch, shuffleSeed);
    await reactions.processRecords(batch);
  }
  for (let start = 0; start < countsRecords.length; start += 10) {
    const { batchItemFailures } = await reactions.processRecords(
      countsRecords.slice(start, start + 10),
    );
    expect(batchItemFailures).toEqual([]);
  }
  const { aggregateIds } = await reachedStore.listAggregateIds();
  for (const { aggregateId } of aggregateIds)
    expect((await reachedStore.getEvents(aggregateId)).events).toHaveLength(1);
  return aggregateIds.map(({ aggregateId }) => aggregateId).sort();
};

describe('exactly once, whatever the stream does (property)', () => {
  it('ends with the model’s counts, every counted ref matches its increment, and each crossing of the counts’ history fired once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArbitrary, { minLength: 1, maxLength: 60 }),
        fc.array(deliveryArbitrary, { maxLength: 6 }),
        fc.integer({ min: 1, max: 25 }),
        fc.record({
          before: fc.uniqueArray(fc.nat({ max: 20 }), { maxLength: 4 }),
          after: fc.uniqueArray(fc.nat({ max: 20 }), { maxLength: 4 }),
        }),
        async (generated, deliveries, finalBatchSize, finalFaults) => {
          const tableName = await createTestCountsTable({ stream: true });
          const { records, messages } = toStream(generated);
          for (const delivery of deliveries) await chaoticDelivery(records, delivery, tableName);
          await deliverInOrder(records, finalBatchSize, tableName, finalFaults);

          const model = modelCounts(messages);
          const table = await readTable(tableName, model);
          expect(table.counts).toEqual(model.counts);
          for (const [id, targetRefs] of model.refs) {
            expect(table.refs.get(id)?.targetRefs).toEqual([...targetRefs].sort());
            // Every ref has its increment and every increment its ref: refs sum to the count.
            expect(table.refs.get(id)?.sum).toBe(model.counts.get(id));
          }
          // Reactions: whatever the deliveries above wrote, the counts' own stream says
          // what was crossed; each crossing fires one event, however that stream is delivered.
          const countsRecords = await readStream({
            dynamoDBClient: client,
            streamsClient,
            tableName,
          });
          expect(await react(countsRecords, deliveries)).toEqual(modelCrossings(countsRecords));
        },
      ),
      { numRuns: 30 },
    );
  });
});
