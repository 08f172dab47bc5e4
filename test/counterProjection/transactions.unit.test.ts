import { describe, expect, it } from 'vitest';

import { isHashedRefSortKey, refSortKey } from '../../src/counterProjection/countsItems/index.js';
import { counter } from '../../src/counterProjection/index.js';
import { buildTransaction } from '../../src/counterProjection/writePath/buildTransaction.js';
import { packTransactions } from '../../src/counterProjection/writePath/packTransactions.js';
import { toIncrement } from '../../src/counterProjection/writePath/planIncrements.js';
import {
  runTransactions,
  sharedItemsOf,
} from '../../src/counterProjection/writePath/runTransactions.js';
import type { PackedTransaction } from '../../src/counterProjection/writePath/transactionActions.js';
import { decodePageToken, encodePageToken } from '../../src/shared/pageToken.js';
import { makeOrdersStore } from '../support/eventStores.js';

const ordersStore = makeOrdersStore();
const hot = counter({ name: 'hot', eventStore: ordersStore, key: () => 'k', windows: ['hour'] });
const increments = (count: number, key = 'all') =>
  Array.from({ length: count }, (_, index) =>
    toIncrement({
      counter: hot,
      key,
      by: 1,
      targetRef: `ref-${key}-${index}`,
      timestamp: '2024-01-01T10:00:00.000Z',
      position: index,
    }),
  );

describe('packing and scheduling a batch’s transactions (unit)', () => {
  it('packs a hot key into transactions of at most 100 actions, each of one chunk of that key', () => {
    const transactions = packTransactions(increments(250));
    expect(transactions.map((chunks) => chunks.length)).toEqual([1, 1, 1]);
    // 1 total + 1 window bucket + 98 refs = 100 actions
    expect(transactions.map(([chunk]) => chunk?.increments.length)).toEqual([98, 98, 54]);
  });

  it('never runs two transactions sharing a counter item at once, and runs the others beside them', async () => {
    const transactions = packTransactions([
      ...increments(196, 'hot'),
      ...increments(5, 'a'),
      ...increments(5, 'b'),
    ]);
    const busy = new Set<string>();
    let overlaps = 0;
    let peak = 0;
    let inFlight = 0;
    const ran: PackedTransaction[] = [];
    await runTransactions(transactions, 4, async (transaction) => {
      const items = sharedItemsOf(transaction);
      if (items.some((item) => busy.has(item))) overlaps += 1;
      items.forEach((item) => busy.add(item));
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      items.forEach((item) => busy.delete(item));
      inFlight -= 1;
      ran.push(transaction);
    });
    expect(overlaps).toBe(0);
    expect(ran).toHaveLength(transactions.length);
    expect(peak).toBeGreaterThan(1); // the cold keys went beside the hot one
    expect(peak).toBeLessThanOrEqual(4);
  });
});

describe('building a transaction (unit)', () => {
  const windowed = counter({
    name: 'windowed',
    eventStore: ordersStore,
    key: () => 'k',
    windows: ['minute', 'hour', 'day'],
  });
  // Spread over several minutes, hours and days, so that chunks have many window buckets.
  const spread = (count: number) =>
    Array.from({ length: count }, (_, index) =>
      toIncrement({
        counter: windowed,
        key: `key-${index % 3}`,
        by: index % 5 === 0 ? Number.MAX_SAFE_INTEGER : index - 7,
        targetRef: `ref-${index}`,
        timestamp: new Date(Date.UTC(2024, 0, 1) + index * 37 * 60_000).toISOString(),
        position: index,
      }),
    );

  it('sends exactly what packing counted: at most 100 items, one per planned action, in order', () => {
    for (const size of [1, 7, 60, 99, 100, 101, 250, 777]) {
      for (const chunks of packTransactions(spread(size))) {
        const units = buildTransaction({ tableName: 'counts', chunks, countedAt: 'now' });
        expect(units.length).toBeLessThanOrEqual(100);
        const kinds = units.map(({ action, item }) => [action.kind, Object.keys(item)[0]]);
        for (const [kind, request] of kinds)
          expect(request).toBe(kind === 'ref' ? 'Put' : 'Update');
        const keys = units.map(({ item }) => JSON.stringify(item.Update?.Key ?? item.Put?.Item));
        expect(new Set(keys).size).toBe(keys.length); // DynamoDB refuses one item twice
      }
    }
  });

  it('adds each window bucket its increments’ sum, as an exact integer beyond 2^53', () => {
    const [chunks] = packTransactions(spread(11).filter((_, index) => index % 3 === 0));
    const units = buildTransaction({ tableName: 'counts', chunks: chunks!, countedAt: 'now' });
    const deltas = units
      .filter(({ action }) => action.kind !== 'ref')
      .map(({ action, item }) => [
        action.kind === 'window' ? `${action.window} ${action.bucket}` : 'total',
        item.Update?.ExpressionAttributeValues?.[':delta']?.N,
      ])
      .sort(([a], [b]) =>
        a === 'total' ? -1 : b === 'total' ? 1 : String(a).localeCompare(String(b)),
      );
    // Increments 0, 3, 6, 9 by 2^53-1, -4, -1, 2, at 00:00, 01:51, 03:42, 05:33 on Jan 1st.
    expect(deltas).toEqual([
      ['total', '9007199254740988'],
      ['day 2024-01-01', '9007199254740988'],
      ['hour 2024-01-01T00', '9007199254740991'],
      ['hour 2024-01-01T01', '-4'],
      ['hour 2024-01-01T03', '-1'],
      ['hour 2024-01-01T05', '2'],
      ['minute 2024-01-01T00:00', '9007199254740991'],
      ['minute 2024-01-01T01:51', '-4'],
      ['minute 2024-01-01T03:42', '-1'],
      ['minute 2024-01-01T05:33', '2'],
    ]);
  });
});

describe('ref sort keys (unit)', () => {
  it('keeps a short targetRef as it is and hashes a long one into a sort key that fits', () => {
    expect(refSortKey('orders#a#1')).toBe('orders#a#1');
    const long = `orders#${'é'.repeat(1_000)}#1`;
    const hashed = refSortKey(long);
    expect(Buffer.byteLength(hashed)).toBeLessThanOrEqual(1_024);
    expect(isHashedRefSortKey(hashed)).toBe(true);
    expect(isHashedRefSortKey('x'.repeat(952))).toBe(false);
    // Two long refs that share their first kilobyte stay apart.
    expect(refSortKey(`${long}0`)).not.toBe(refSortKey(`${long}1`));
  });
});

describe('page tokens (unit)', () => {
  it('round-trips its content and refuses what it did not issue', () => {
    expect(decodePageToken(encodePageToken({ c: 'n', s: 3 }))).toEqual({ c: 'n', s: 3 });
    expect(decodePageToken('garbled!')).toBeUndefined();
    expect(decodePageToken(Buffer.from('{"v":2}').toString('base64url'))).toBeUndefined();
    expect(decodePageToken(Buffer.from('[1]').toString('base64url'))).toBeUndefined();
  });
});
