import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { isCounterError } from '../../src/shared/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore, makeUsersStore } from '../support/eventStores.js';

const { client, createTestCountsTable } = useDynamoDB();
let countsTableName: string;
const ordersStore = makeOrdersStore();
const usersStore = makeUsersStore();
let projection: CounterProjection<typeof ordersStore, ReturnType<typeof makeCounters>[number]>;

const makeCounters = () => [
  counter({
    name: 'payments',
    eventStore: ordersStore,
    key: () => 'unused',
    windows: ['minute', 'hour', 'day'],
  }),
  counter({ name: 'plain', eventStore: ordersStore, key: () => 'unused' }),
];

beforeAll(async () => {
  countsTableName = await createTestCountsTable();
  projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName: () => countsTableName,
    sourceEventStores: [ordersStore],
    counters: makeCounters(),
  });
});

describe('increment (without a stream)', () => {
  it('counts a targetRef once however often it is called, negative increments included', async () => {
    expect(
      await projection.increment({ counterName: 'plain', key: 'k', by: 5, targetRef: 'invoice-1' }),
    ).toEqual({ counted: true });
    expect(
      await projection.increment({ counterName: 'plain', key: 'k', by: 5, targetRef: 'invoice-1' }),
    ).toEqual({ counted: false });
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () =>
        projection.increment({ counterName: 'plain', key: 'k', by: -2, targetRef: 'refund-1' }),
      ),
    );
    expect(concurrent.filter((r) => r.counted)).toHaveLength(1);
    expect(await projection.getCount('plain', 'k')).toBe(3);
    expect(await projection.getCount('plain', 'never-counted')).toBe(0);
  });

  it.each([
    [{ key: '', by: 1, targetRef: 'r' }, 'key'],
    [{ key: 'k', by: 1.5, targetRef: 'r' }, 'by'],
    [{ key: 'k', by: 1, targetRef: '' }, 'targetRef'],
    [{ key: 'k', by: 1, targetRef: 'x'.repeat(8193) }, 'targetRef'],
    [{ key: 'x\uD800', by: 1, targetRef: 'r' }, 'key'],
    [{ key: 'k', by: 1, targetRef: 'r\uDC00' }, 'targetRef'],
    [{ key: 'k', by: 1, targetRef: 'r', timestamp: 'now' }, 'timestamp'],
  ])('refuses %j with a typed error naming the field', async (input, field) => {
    const error = await projection
      .increment({ counterName: 'plain', ...input })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidIncrement', field });
    // A direct call has no record to retry: the advice is for the caller.
    expect((error as Error).message).toMatch(/Nothing was counted; fix the call\.$/);
  });

  it('refuses an unknown counter', async () => {
    const error = await projection
      .increment({ counterName: 'nope' as 'plain', key: 'k', targetRef: 'r' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UnknownCounter' });
  });
});

describe('windowed counts', () => {
  beforeAll(async () => {
    const times = [
      '2024-03-01T10:00:05.000Z',
      '2024-03-01T10:00:59.000Z',
      '2024-03-01T10:01:00.000Z',
      '2024-03-01T11:30:00.000Z',
      '2024-03-02T00:00:00.000Z',
    ];
    for (const [index, timestamp] of times.entries()) {
      await projection.increment({
        counterName: 'payments',
        key: 'eur',
        by: index + 1,
        targetRef: `p${index}`,
        timestamp,
      });
    }
  });

  it('buckets by minute, hour and day alongside the total', async () => {
    expect(await projection.getCount('payments', 'eur')).toBe(15);
    expect(
      await projection.getCount('payments', 'eur', {
        window: 'minute',
        bucket: '2024-03-01T10:00',
      }),
    ).toBe(3);
    expect(
      await projection.getCount('payments', 'eur', {
        window: 'hour',
        bucket: new Date('2024-03-01T10:45:00Z'),
      }),
    ).toBe(6);
    expect(
      await projection.getCount('payments', 'eur', {
        window: 'day',
        bucket: '2024-03-01T23:59:59.999Z',
      }),
    ).toBe(10);
  });

  it('lists the non-empty buckets of a range, oldest first', async () => {
    expect(
      await projection.getWindowedCounts('payments', 'eur', {
        window: 'hour',
        from: '2024-03-01T00:00:00.000Z',
        to: '2024-03-02T23:00:00.000Z',
      }),
    ).toEqual([
      { bucket: '2024-03-01T10', count: 6 },
      { bucket: '2024-03-01T11', count: 4 },
      { bucket: '2024-03-02T00', count: 5 },
    ]);
  });

  it('refuses a range whose from is after its to (swapped arguments), rather than answer nothing', async () => {
    await expect(
      projection.getWindowedCounts('payments', 'eur', {
        window: 'day',
        from: '2024-03-02',
        to: '2024-03-01',
      }),
    ).rejects.toMatchObject({ code: 'InvalidCountQuery', option: 'from', value: '2024-03-02' });
  });

  it('reads many counts at once, in order, beyond BatchGetItem’s 100 keys', async () => {
    const targets = Array.from({ length: 150 }, (_, index) => ({
      counterName: 'payments' as const,
      key: index === 120 ? 'eur' : `none-${index}`,
    }));
    const counts = await projection.getCounts([
      ...targets,
      { counterName: 'payments', key: 'eur', window: 'day', bucket: '2024-03-02' },
    ]);
    expect(counts).toHaveLength(151);
    expect(counts[120]).toBe(15);
    expect(counts[150]).toBe(5);
    expect(counts.filter((count) => count === 0)).toHaveLength(149);
  });

  it.each([
    [{ window: 'week' }, 'window'],
    [{ window: 'hour' }, 'bucket'],
    [{ window: 'hour', bucket: 'soon' }, 'bucket'],
  ])('refuses %j with a typed error', async (options, option) => {
    const error = await projection
      .getCount('payments', 'eur', options as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidCountQuery', option });
  });

  it('refuses a count that is not an integer (an item written by something else) with InvalidCountsRecord, rather than misread it', async () => {
    await client.send(
      new PutItemCommand({
        TableName: countsTableName,
        Item: { pk: { S: 'T#plain#corrupt' }, sk: { S: 'total' }, count: { N: '1.5' } },
      }),
    );
    const read = projection.getCount('plain', 'corrupt');
    await expect(read).rejects.toSatisfy((error) => isCounterError(error, 'InvalidCountsRecord'));
    await expect(read).rejects.toThrow('count not an integer');
  });

  it('refuses a window the counter does not keep (a type error too; this is for JavaScript callers)', async () => {
    const error = await projection
      .getCount('plain', 'k', { window: 'day', bucket: '2024-03-01' } as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidCountQuery', option: 'window' });
  });

  it('lists the counted refs with their increments, and refuses a token of another counter', async () => {
    const { refs, nextPageToken } = await projection.listCountedRefs('payments', 'eur', {
      limit: 3,
    });
    expect(refs).toHaveLength(3);
    const rest = await projection.listCountedRefs('payments', 'eur', {
      pageToken: nextPageToken as string,
    });
    expect([...refs, ...rest.refs].map((r) => [r.targetRef, r.by]).sort()).toEqual([
      ['p0', 1],
      ['p1', 2],
      ['p2', 3],
      ['p3', 4],
      ['p4', 5],
    ]);
    expect(rest.nextPageToken).toBeUndefined();
    const error = await projection
      .listCountedRefs('plain', 'eur', { pageToken: nextPageToken as string })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidCountQuery', option: 'pageToken' });
  });
});

describe('listCountedRefs across the ref shards', () => {
  const refs = Array.from({ length: 150 }, (_, index) => `order-${index}`);
  beforeAll(async () => {
    await Promise.all(
      refs.map((targetRef, index) =>
        projection.increment({ counterName: 'plain', key: 'many', by: index + 1, targetRef }),
      ),
    );
  });

  it.each([1, 7, 64, 1000])('returns every ref exactly once in pages of %i', async (limit) => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await projection.listCountedRefs('plain', 'many', {
        limit,
        ...(pageToken !== undefined ? { pageToken } : {}),
      });
      expect(page.refs.length).toBeLessThanOrEqual(limit);
      seen.push(...page.refs.map((ref) => `${ref.targetRef}:${ref.by}`));
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    expect(seen.sort()).toEqual(refs.map((ref, index) => `${ref}:${index + 1}`).sort());
  });

  it('answers an uncounted key with no refs and no page token', async () => {
    expect(await projection.listCountedRefs('plain', 'never-counted')).toEqual({ refs: [] });
  });
});

describe('counter definitions', () => {
  it.each([
    [{ name: 'a#b' }, 'name'],
    [{ name: '' }, 'name'],
    // Longer, the partition keys of its items could outgrow DynamoDB's 2,048 bytes.
    [{ name: 'n'.repeat(256) }, 'name'],
    [{ name: 'n\uD800' }, 'name'],
    [{ eventTypes: ['USER_SIGNED_UP'] }, 'eventTypes'],
    [{ by: 1.5 }, 'by'],
    [{ windows: ['fortnight'] }, 'windows'],
    [{ refShards: 0 }, 'refShards'],
    [{ thresholds: [100, 1.5] }, 'thresholds'],
    [{ floors: ['0'] }, 'floors'],
  ])('refuses %j when built', (change, field) => {
    expect(() =>
      counter({
        name: 'ok',
        eventStore: ordersStore,
        key: () => 'k',
        ...(change as object),
      } as never),
    ).toThrow(expect.objectContaining({ code: 'InvalidCounterDefinition', field }));
  });

  it.each([
    ['targetRef', { targetRef: () => 'r' }],
    ['refShards', { refShards: 8 }],
  ])(
    'refuses a shardWatermark counter with %s when built (a type error, refused for JavaScript)',
    (field, change) => {
      expect(() =>
        counter({
          name: 'ok',
          eventStore: ordersStore,
          key: () => 'k',
          idempotency: 'shardWatermark',
          ...(change as object),
        } as never),
      ).toThrow(expect.objectContaining({ code: 'InvalidCounterDefinition', field }));
    },
  );

  it('refuses two counters of one name, or a counter of a store the projection does not read', () => {
    const make = (counters: Parameters<typeof counter>[0][]) => () =>
      new CounterProjection({
        dynamoDBClient: client,
        countsTableName: 'counts',
        sourceEventStores: [ordersStore],
        counters: counters.map((c) => counter(c)) as never,
      });
    expect(
      make([
        { name: 'x', eventStore: ordersStore, key: () => 'k' },
        { name: 'x', eventStore: ordersStore, key: () => 'k' },
      ]),
    ).toThrow(expect.objectContaining({ field: 'name' }));
    expect(make([{ name: 'x', eventStore: usersStore, key: () => 'k' }])).toThrow(
      expect.objectContaining({ field: 'eventStore' }),
    );
  });
});
