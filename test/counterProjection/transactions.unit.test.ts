import { describe, expect, it } from 'vitest';

import { isHashedRefSortKey, refSortKey } from '../../src/counterProjection/countsTable.js';
import { counter } from '../../src/counterProjection/index.js';
import {
  type CounterChunk,
  packTransactions,
} from '../../src/counterProjection/packTransactions.js';
import { toIncrement } from '../../src/counterProjection/planIncrements.js';
import {
  runTransactions,
  sharedItemsOf,
} from '../../src/counterProjection/scheduleTransactions.js';
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
    const ran: CounterChunk[][] = [];
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
