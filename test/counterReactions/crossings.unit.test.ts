import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { crossedValues, type TotalState } from '../../src/counterReactions/crossings.js';
import { processReactions } from '../../src/counterReactions/processReactions.js';
import { CounterReactions, type Crossing } from '../../src/entries/reactions.js';
import { counter } from '../../src/index.js';
import { makeOrdersStore } from '../support/eventStores.js';

const state = (count: number, target?: number): TotalState => ({
  count: BigInt(count),
  target: target === undefined ? undefined : BigInt(target),
});
const limits = { thresholds: [100, 1_000], floors: [10, 0] };

describe('what one write of a total reached', () => {
  it.each([
    [
      'a batch jumping over a threshold reaches it once',
      state(990),
      state(1_010),
      ['threshold 1000'],
    ],
    ['reaching a threshold exactly', state(99), state(100), ['threshold 100']],
    ['a write jumping over two', state(0), state(5_000), ['threshold 100', 'threshold 1000']],
    ['staying above', state(100), state(150), []],
    ['going down through a threshold reaches nothing', state(1_200), state(900), []],
    ['going down through floors', state(12), state(-1), ['floor 10', 'floor 0']],
    ['a new key starts at 0: at floor 0 already', state(0), state(-5), []],
    ['a target reached', state(4, 5), state(5, 5), ['target 5']],
    ['a target set below the count fires at once', state(7), state(7, 5), ['target 5']],
    ['the same target set again fires nothing', state(7, 5), state(7, 5), []],
    ['a target set beyond the count waits', state(7), state(7, 9), []],
    ['a target changed once reached fires the new one', state(7, 5), state(7, 6), ['target 6']],
    ['a count falling under its target fires nothing', state(6, 5), state(4, 5), []],
  ])('%s', (_, before, after, expected) => {
    expect(
      crossedValues(limits, before, after).map(({ kind, value }) => `${kind} ${value}`),
    ).toEqual(expected);
  });
});

/** A counts table stream record of a total item, as the projection's writes make them. */
const totalRecord = (
  item: { counterName: string; key: string },
  before: TotalState | undefined,
  after: TotalState,
  sequence: number,
): StreamsApiRecord => {
  const image = ({ count, target }: TotalState) => ({
    pk: { S: `T#${item.counterName}#${item.key}` },
    sk: { S: 'total' },
    counter: { S: item.counterName },
    key: { S: item.key },
    count: { N: String(count) },
    ...(target !== undefined ? { target: { N: String(target) } } : {}),
  });
  return {
    eventName: before === undefined ? 'INSERT' : 'MODIFY',
    dynamodb: {
      Keys: { pk: { S: `T#${item.counterName}#${item.key}` }, sk: { S: 'total' } },
      ...(before !== undefined ? { OldImage: image(before) } : {}),
      NewImage: image(after),
      SequenceNumber: String(1_000 + sequence),
      ApproximateCreationDateTime: new Date(Date.UTC(2026, 0, 1) + sequence * 1_000),
    },
  };
};

// A write: an increment (a transaction's sum, possibly negative) or a target set.
const writeArbitrary = fc.record({
  item: fc.constantFrom('FR', 'DE', 'E#S'),
  change: fc.oneof(
    fc.record({ by: fc.integer({ min: -40, max: 60 }) }),
    fc.record({ target: fc.integer({ min: -10, max: 120 }) }),
  ),
});
type Write = typeof writeArbitrary extends fc.Arbitrary<infer T> ? T : never;

const LIMITS = { thresholds: [25, 50, 100], floors: [-20, 0] };

/** The writes' records, each item's in order, as the counts table's stream holds them. */
const historyOf = (writes: Write[]) => {
  const states = new Map<string, TotalState[]>();
  const records = writes.map(({ item, change }, sequence) => {
    const itemStates = states.get(item) ?? [];
    const before = itemStates[itemStates.length - 1];
    const from = before ?? state(0);
    const after =
      'by' in change
        ? { ...from, count: from.count + BigInt(change.by) }
        : { ...from, target: BigInt(change.target) };
    states.set(item, [...itemStates, after]);
    return totalRecord({ counterName: 'orders', key: item }, before, after, sequence);
  });
  return { records, states };
};

/**
 * The model, stated apart from the code: a threshold is reached if some state is at or
 * above it after an earlier one (the initial 0 included) was below it; a floor likewise
 * downwards; a target if some state holds it with a count at or above it.
 */
const modelCrossings = (states: Map<string, TotalState[]>): string[] => {
  const keys: string[] = [];
  for (const [item, itemStates] of states) {
    const all = [state(0), ...itemStates];
    const seen = (test: (earlier: TotalState, later: TotalState) => boolean) =>
      all.some((later, i) => all.slice(0, i).some((earlier) => test(earlier, later)));
    for (const t of LIMITS.thresholds)
      if (seen((a, b) => a.count < BigInt(t) && b.count >= BigInt(t)))
        keys.push(`orders#${item}#threshold#${t}`);
    for (const f of LIMITS.floors)
      if (seen((a, b) => a.count > BigInt(f) && b.count <= BigInt(f)))
        keys.push(`orders#${item}#floor#${f}`);
    const targets = new Set(
      itemStates
        .filter(({ count, target }) => target !== undefined && count >= target)
        .map(({ target }) => String(target)),
    );
    for (const target of targets) keys.push(`orders#${item}#target#${target}`);
  }
  return keys.sort();
};

describe('reactions fire once per crossing of the history, however the stream delivers it (property, no server)', () => {
  it('fires exactly the crossings of the final history, under redelivery, duplicates and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(writeArbitrary, { minLength: 1, maxLength: 40 }),
        fc.array(fc.record({ start: fc.nat(), size: fc.integer({ min: 1, max: 12 }) }), {
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 10 }),
        fc.uniqueArray(fc.nat({ max: 30 }), { maxLength: 3 }),
        async (writes, redeliveries, batchSize, failOnCalls) => {
          const { records, states } = historyOf(writes);
          // The reaction as pushEventReaction behaves: the first push of a key wins.
          const pushed = new Map<string, Crossing>();
          let calls = 0;
          const context = {
            limitsByCounter: new Map([['orders', LIMITS]]),
            concurrency: 3,
            react: async (crossing: Crossing) => {
              calls += 1;
              if (failOnCalls.includes(calls)) throw new Error('the reactions table throttled');
              if (pushed.has(crossing.idempotencyKey)) return 'alreadyFired' as const;
              pushed.set(crossing.idempotencyKey, crossing);
              return 'fired' as const;
            },
          };
          // Redelivered stretches of the stream, then Lambda's way: in order, resuming
          // from each reported record.
          for (const { start, size } of redeliveries) {
            const from = start % records.length;
            await processReactions(records.slice(from, from + size), context);
          }
          for (let position = 0, rounds = 0; position < records.length; rounds++) {
            expect(rounds).toBeLessThan(records.length + failOnCalls.length + 2);
            const batch = records.slice(position, position + batchSize);
            const { batchItemFailures } = await processReactions(batch, context);
            const failed = batchItemFailures[0]?.itemIdentifier;
            position =
              failed === undefined
                ? position + batch.length
                : records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
          }
          expect([...pushed.keys()].sort()).toEqual(modelCrossings(states));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('counts records the reactions cannot read', () => {
  const item = { counterName: 'orders', key: 'FR' };
  const react = async () => 'fired' as const;
  const context = { limitsByCounter: new Map([['orders', LIMITS]]), concurrency: 1, react };
  const good = totalRecord(item, state(20), state(30), 1);
  it.each([
    [
      'a stream without old images',
      { ...good, dynamodb: { ...good.dynamodb, OldImage: undefined } },
      'no NewImage or OldImage: the stream must be NEW_AND_OLD_IMAGES',
    ],
    [
      'a count that is not an integer',
      {
        ...good,
        dynamodb: {
          ...good.dynamodb,
          NewImage: { ...good.dynamodb?.NewImage, count: { N: '1.5' } },
        },
      },
      'count not an integer',
    ],
    [
      'a total whose counter and key are not its item key',
      {
        ...good,
        dynamodb: { ...good.dynamodb, NewImage: { ...good.dynamodb?.NewImage, key: { S: 'DE' } } },
      },
      'counter and key unlike the item key',
    ],
    [
      'a record without Keys (skipped silently before)',
      { ...good, dynamodb: { ...good.dynamodb, Keys: undefined } },
      'no Keys',
    ],
    [
      'a creation time out of any date range (rejected the whole call before)',
      { ...good, dynamodb: { ...good.dynamodb, ApproximateCreationDateTime: 1e13 } },
      'ApproximateCreationDateTime not a time',
    ],
  ])(
    'fails %s with InvalidCountsRecord, from that record on, firing nothing after it',
    async (_, bad, reason) => {
      const fired: string[] = [];
      const result = await processReactions([good, bad as StreamsApiRecord], {
        ...context,
        react: async (crossing) => {
          fired.push(crossing.idempotencyKey);
          return 'fired' as const;
        },
      });
      expect(fired).toEqual(['orders#FR#threshold#25']);
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1001' }]);
      expect(result.error).toMatchObject({ code: 'InvalidCountsRecord', reason });
      expect(result.stats).toMatchObject({ records: 2, totals: 1, failed: 1, fired: 1 });
    },
  );

  it('skips windows, refs and removed totals', async () => {
    const windowRecord: StreamsApiRecord = {
      eventName: 'MODIFY',
      dynamodb: { Keys: { pk: { S: 'W#orders#hour#FR' }, sk: { S: '2026-01-01T10' } } },
    };
    const removed: StreamsApiRecord = { ...good, eventName: 'REMOVE' };
    const result = await processReactions([windowRecord, removed], context);
    expect(result).toEqual({
      batchItemFailures: [],
      stats: {
        records: 2,
        totals: 0,
        skipped: 2,
        crossings: 0,
        fired: 0,
        alreadyFired: 0,
        failed: 0,
      },
    });
  });
});

describe("the reactions' Lambda handler", () => {
  const ordersStore = makeOrdersStore();
  const counters = [
    counter({ name: 'orders', eventStore: ordersStore, key: () => 'FR', thresholds: [25] }),
  ];
  const event = {
    Records: [totalRecord({ counterName: 'orders', key: 'FR' }, state(20), state(30), 1)].map(
      (record) => ({
        ...record,
        dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: 1_767_225_600 },
      }),
    ) as unknown as DynamoDBStreamEvent['Records'],
  };
  const failing = async () => {
    throw new Error('the reactions table is unreachable');
  };

  it('throws RecordsNotHandled (so that Lambda retries the batch) unless the mapping reports batch item failures', async () => {
    const logged: unknown[] = [];
    const reactions = new CounterReactions({
      counters,
      react: failing,
      logger: { error: (_, attributes) => logged.push(attributes) },
    });
    await expect(reactions.handler(event)).rejects.toMatchObject({
      code: 'RecordsNotHandled',
      message: expect.stringMatching(
        /^Record 1001 \(of a batch of 1\) was not reacted to: The reaction to orders#FR#threshold#25 failed/,
      ),
    });
    expect(logged).toMatchObject([{ sequenceNumber: '1001', errorCode: 'ReactionFailed' }]);
  });

  it('returns the failed record when the mapping reports batch item failures, and fires with the record’s time', async () => {
    const fired: Crossing[] = [];
    expect(
      await new CounterReactions({
        counters,
        react: failing,
        reportBatchItemFailures: true,
        logger: { error: () => undefined },
      }).handler(event),
    ).toEqual({ batchItemFailures: [{ itemIdentifier: '1001' }] });
    await new CounterReactions({
      counters,
      react: (crossing) => void fired.push(crossing),
    }).handler(event);
    expect(fired).toEqual([
      {
        counterName: 'orders',
        key: 'FR',
        kind: 'threshold',
        value: 25,
        count: 30,
        idempotencyKey: 'orders#FR#threshold#25',
        reachedAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
  });
});
