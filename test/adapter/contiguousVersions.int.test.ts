import { TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { EventStore, type GroupedEvent, isEventAlreadyExistsError } from '@castore/core';
import { beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';
import { interceptSend } from '../support/interceptSend.js';

const { client, createTestEventTable } = useDynamoDB();
let strict: DynamoDBSingleTableEventStorageAdapter;
let lenient: DynamoDBSingleTableEventStorageAdapter;

beforeAll(async () => {
  const tableName = await createTestEventTable();
  strict = new DynamoDBSingleTableEventStorageAdapter({
    tableName,
    dynamoDBClient: client,
    requireContiguousVersions: true,
  });
  lenient = new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client });
});

const context = { eventStoreId: 'orders' };
const event = (aggregateId: string, version: number, payload: unknown = { n: version }) => ({
  aggregateId,
  version,
  type: 'T',
  payload,
});
const versionsOf = async (aggregateId: string) =>
  (await strict.getEvents(aggregateId, context)).events.map(({ version }) => version);
const grouped = (aggregateId: string, version: number, eventStoreId = 'orders'): GroupedEvent => {
  const groupedEvent = strict.groupEvent(event(aggregateId, version));
  groupedEvent.context = { eventStoreId };
  return groupedEvent;
};

describe('requireContiguousVersions (DynamoDB Local)', () => {
  it('refuses a version whose previous one is missing, writing nothing, and names both', async () => {
    await strict.pushEvent(event('hole', 1), context); // version 1 needs no check
    const error = await strict.pushEvent(event('hole', 3), context).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PreviousVersionMissing',
      eventStoreId: 'orders',
      aggregateId: 'hole',
      version: 3,
      missingVersion: 2,
      eventIndex: undefined,
    });
    expect(isEventAlreadyExistsError(error)).toBe(false);
    expect(await versionsOf('hole')).toEqual([1]);
    await strict.pushEvent(event('hole', 2), context);
    await strict.pushEvent(event('hole', 3), context);
    expect(await versionsOf('hole')).toEqual([1, 2, 3]);
  });

  it('still says EventAlreadyExists for an existing version, so Castore commands retry', async () => {
    await strict.pushEvent(event('taken', 1), context);
    await strict.pushEvent(event('taken', 2), context);
    const error = await strict.pushEvent(event('taken', 2), context).catch((e: unknown) => e);
    expect(isEventAlreadyExistsError(error)).toBe(true);
    expect(error).toMatchObject({ aggregateId: 'taken', version: 2 });
  });

  it('lets racing writers of one version have exactly one winner', async () => {
    await strict.pushEvent(event('race', 1), context);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 16 }, (_, writer) =>
        strict.pushEvent(event('race', 2, { writer }), context),
      ),
    );
    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        // A loser sees the winner's event, or (on AWS) a conflict of transactions in flight.
        expect([true, 'EventGroupCancelled']).toContain(
          isEventAlreadyExistsError(outcome.reason) || (outcome.reason as { code?: string }).code,
        );
    }
    const { events } = await strict.getEvents('race', context);
    expect(events.map(({ version }) => version)).toEqual([1, 2]);
  });

  it('refuses a group with a hole as a whole, naming the event at fault', async () => {
    await strict.pushEvent(event('g-old', 1), context);
    const error = await EventStore.pushEventGroup(grouped('g-new', 1), grouped('g-old', 3)).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'PreviousVersionMissing',
      aggregateId: 'g-old',
      version: 3,
      eventIndex: 1,
    });
    expect(await versionsOf('g-new')).toEqual([]);
    expect(await versionsOf('g-old')).toEqual([1]);
  });

  it('names the existing event when a group has a conflict and a hole', async () => {
    await strict.pushEvent(event('g-conflict', 1), context);
    await strict.pushEvent(event('g-gap', 1), context);
    const error = await EventStore.pushEventGroup(
      grouped('g-gap', 5),
      grouped('g-conflict', 1),
    ).catch((e: unknown) => e);
    expect(isEventAlreadyExistsError(error)).toBe(true);
    expect(error).toMatchObject({ aggregateId: 'g-conflict', version: 1 });
    expect(await versionsOf('g-gap')).toEqual([1]);
  });

  it('accepts a group that writes the previous version itself', async () => {
    await EventStore.pushEventGroup(grouped('g-run', 1), grouped('g-run', 2), grouped('g-run', 3));
    expect(await versionsOf('g-run')).toEqual([1, 2, 3]);
  });

  it('keeps force an overwrite, but not a way to leave a hole', async () => {
    await strict.pushEvent(event('forced', 1), context);
    await strict.pushEvent(event('forced', 2), context);
    await strict.pushEvent(event('forced', 2, { rewritten: true }), { ...context, force: true });
    const { events } = await strict.getEvents('forced', context);
    expect(events.map(({ payload }) => payload)).toEqual([{ n: 1 }, { rewritten: true }]);
    await expect(
      strict.pushEvent(event('forced', 4), { ...context, force: true }),
    ).rejects.toMatchObject({ code: 'PreviousVersionMissing', missingVersion: 3 });
  });

  it('changes nothing when off: the reference adapter’s behaviour, holes included', async () => {
    await lenient.pushEvent(event('lenient', 1), context);
    await lenient.pushEvent(event('lenient', 3), context);
    expect(await versionsOf('lenient')).toEqual([1, 3]);
  });

  describe('TransactionConflict (injected: DynamoDB Local runs transactions one at a time)', () => {
    /** The strict adapter on a client whose first `conflicts` transactions are cancelled by a conflict. */
    const conflicting = (conflicts: number) => {
      let cancelled = 0;
      const dynamoDBClient = interceptSend(client, async (command, send) => {
        if (command instanceof TransactWriteItemsCommand && cancelled < conflicts) {
          cancelled += 1;
          throw new TransactionCanceledException({
            message: 'Transaction cancelled [TransactionConflict, None]',
            $metadata: {},
            CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
          });
        }
        return send(command);
      });
      const adapter = new DynamoDBSingleTableEventStorageAdapter({
        tableName: strict.tableName as string,
        dynamoDBClient,
        requireContiguousVersions: true,
      });
      return { adapter, cancelled: () => cancelled };
    };

    it('retries a lone push cancelled by a conflict, as a plain Put never sees one', async () => {
      await strict.pushEvent(event('conflicted', 1), context);
      const { adapter, cancelled } = conflicting(3);
      await adapter.pushEvent(event('conflicted', 2), context);
      expect(cancelled()).toBe(3);
      expect(await versionsOf('conflicted')).toEqual([1, 2]);
    });

    it('gives up after 8 attempts with EventGroupCancelled, having written nothing', async () => {
      await strict.pushEvent(event('stuck', 1), context);
      const { adapter, cancelled } = conflicting(Infinity);
      const error = await adapter.pushEvent(event('stuck', 2), context).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EventGroupCancelled' });
      expect(cancelled()).toBe(8);
      expect(await versionsOf('stuck')).toEqual([1]);
    });

    it('leaves a group cancelled by a conflict to its caller, as the reference does', async () => {
      const { adapter, cancelled } = conflicting(1);
      const groupedOn = (aggregateId: string) => {
        const groupedEvent = adapter.groupEvent(event(aggregateId, 1));
        groupedEvent.context = context;
        return groupedEvent;
      };
      const error = await adapter
        .pushEventGroup({}, groupedOn('g-conflicted'), groupedOn('g-conflicted-2'))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EventGroupCancelled' });
      expect(cancelled()).toBe(1);
    });
  });
});
