import type { ListAggregateIdsOptions } from '@castore/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';

const { client, createTestEventTable } = useDynamoDB();
let adapter: DynamoDBSingleTableEventStorageAdapter;
const listed = { eventStoreId: 'listed' };
const other = { eventStoreId: 'other' };

// 40 aggregates, some created at the same instant (ties in the GSI's sort key).
const timestampOf = (index: number) =>
  new Date(Date.UTC(2024, 0, 1) + Math.floor(index / 2) * 60_000).toISOString();
const created = Array.from({ length: 40 }, (_, index) => ({
  aggregateId: `agg-${index}`,
  timestamp: timestampOf(index),
}));

beforeAll(async () => {
  const tableName = await createTestEventTable();
  adapter = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client });
  await Promise.all(
    created.map(async ({ aggregateId, timestamp }) => {
      await adapter.pushEvent({ aggregateId, version: 1, type: 'CREATED', timestamp }, listed);
      // Later versions must not appear in the listing (the GSI is sparse).
      await adapter.pushEvent({ aggregateId, version: 2, type: 'UPDATED' }, listed);
    }),
  );
  await adapter.pushEvent(
    { aggregateId: 'agg-0', version: 1, type: 'CREATED', timestamp: timestampOf(0) },
    other,
  );
  await adapter.pushEvent(
    { aggregateId: 'foreign', version: 1, type: 'CREATED', timestamp: timestampOf(3) },
    other,
  );
});

const listAll = async (options: ListAggregateIdsOptions) => {
  const pages: { aggregateId: string; initialEventTimestamp: string }[][] = [];
  let pageToken: string | undefined;
  do {
    const page = await adapter.listAggregateIds(
      listed,
      pageToken === undefined ? options : { pageToken },
    );
    pages.push(page.aggregateIds);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && pages.length < 100);
  return pages;
};

const expected = ({ initialEventAfter, initialEventBefore }: ListAggregateIdsOptions) =>
  created.filter(
    ({ timestamp }) =>
      (initialEventAfter === undefined || timestamp >= initialEventAfter) &&
      (initialEventBefore === undefined || timestamp <= initialEventBefore),
  );

describe('listAggregateIds', () => {
  it('lists each aggregate once, by the timestamp of its first event', async () => {
    const { aggregateIds, nextPageToken } = await adapter.listAggregateIds(listed);
    expect(nextPageToken).toBeUndefined();
    expect(aggregateIds).toHaveLength(40);
    expect(new Set(aggregateIds.map((a) => a.aggregateId))).toEqual(
      new Set(created.map((a) => a.aggregateId)),
    );
    const timestamps = aggregateIds.map((a) => a.initialEventTimestamp);
    expect(timestamps).toEqual([...timestamps].sort());
  });

  it('never shows the aggregates of another event store in the same table', async () => {
    const { aggregateIds } = await adapter.listAggregateIds(other);
    expect(aggregateIds.map((a) => a.aggregateId).sort()).toEqual(['agg-0', 'foreign']);
  });

  it('returns exactly `limit` ids a page, and no token after the last page', async () => {
    const pages = await listAll({ limit: 10 });
    expect(pages.map((page) => page.length)).toEqual([10, 10, 10, 10]);
  });

  it('pages through every id exactly once for any limit, filter and direction', async () => {
    const timestamp = fc
      .integer({ min: -1, max: 21 })
      .map((minute) => new Date(Date.UTC(2024, 0, 1) + minute * 60_000).toISOString());
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            limit: fc.integer({ min: 1, max: 45 }),
            reverse: fc.boolean(),
            initialEventAfter: timestamp,
            initialEventBefore: timestamp,
          },
          { requiredKeys: [] },
        ),
        async (options) => {
          const pages = await listAll(options);
          const listedIds = pages.flat();
          const wanted = expected(options);
          expect(listedIds.map((a) => a.aggregateId).sort()).toEqual(
            wanted.map((a) => a.aggregateId).sort(),
          );
          const timestamps = listedIds.map((a) => a.initialEventTimestamp);
          const sorted = [...timestamps].sort();
          expect(timestamps).toEqual(options.reverse === true ? sorted.reverse() : sorted);
          if (options.limit !== undefined) {
            expect(pages.slice(0, -1).every((page) => page.length === options.limit)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lets options given with a page token override the token’s (as the reference does)', async () => {
    const first = await adapter.listAggregateIds(listed, { limit: 5 });
    const second = await adapter.listAggregateIds(listed, {
      pageToken: String(first.nextPageToken),
      limit: 20,
    });
    expect(second.aggregateIds).toHaveLength(20);
    expect(second.aggregateIds.map((a) => a.aggregateId)).not.toContain(
      first.aggregateIds[4]?.aggregateId,
    );
  });

  it('refuses a token issued for another event store', async () => {
    const { nextPageToken } = await adapter.listAggregateIds(listed, { limit: 1 });
    const error = await adapter
      .listAggregateIds(other, { pageToken: String(nextPageToken) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidPageToken', pageToken: nextPageToken });
    expect((error as Error).message).toContain('issued for event store "listed"');
  });

  it.each([
    ['garbage', 'not a token!'],
    [
      'a token with one character changed',
      'eyJ2IjoxLCJldmVudFN0b3JlSWQiOiJsaXN0ZWQiLCJsaW1pdCI6MX0',
    ],
    [
      "the reference adapter's JSON token",
      JSON.stringify({ limit: 1, lastEvaluatedKey: { aggregateId: { S: 'listed#a' } } }),
    ],
    [
      'a token of the right shape pointing into another store',
      Buffer.from(
        JSON.stringify({
          v: 1,
          eventStoreId: 'listed',
          lastKey: { aggregateId: 'other#x', version: 1, timestamp: 't' },
        }),
      ).toString('base64url'),
    ],
  ])('refuses %s with a clear error', async (_, pageToken) => {
    const error = await adapter.listAggregateIds(listed, { pageToken }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidPageToken' });
    expect((error as Error).message).toMatch(/Pass back the nextPageToken/);
  });

  it.each([[{ limit: 0 }], [{ initialEventAfter: 'last week' }], [{ reverse: 1 }]])(
    'refuses the invalid option %j',
    async (options) => {
      const error = await adapter
        .listAggregateIds(listed, options as never)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'InvalidQueryOption' });
    },
  );
});
