// Each `prettier-ignore` keeps a type error on the line right after its @ts-expect-error.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventStore } from '@castore/core';
import { describe, expectTypeOf, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import {
  CounterReactions,
  countReachedEventType,
  type Crossing,
  pushEventReaction,
} from '../../src/entries/reactions.js';
import { counter } from '../../src/index.js';
import { makeCountReachedStore, makeOrdersStore } from '../support/eventStores.js';

const adapter = new DynamoDBSingleTableEventStorageAdapter({
  tableName: 't',
  dynamoDBClient: new DynamoDBClient({}),
});
const ordersStore = makeOrdersStore(adapter);
const countReachedStore = makeCountReachedStore(adapter);
const counters = [
  counter({ name: 'byCountry', eventStore: ordersStore, key: () => 'k', thresholds: [10] }),
  counter({ name: 'stock', eventStore: ordersStore, key: () => 'k', floors: [0] }),
];

describe('reactions are typed from the counters and the store they push to', () => {
  it('gives a callback the crossing of one of its counters', () => {
    new CounterReactions({
      counters,
      react: (crossing) => {
        expectTypeOf(crossing.counterName).toEqualTypeOf<'byCountry' | 'stock'>();
        expectTypeOf(crossing).toExtend<Crossing>();
      },
    });
  });

  it('gives the COUNT_REACHED event type ready to list in a store, which a reaction can push', () => {
    const reactionsStore = new EventStore({
      eventStoreId: 'reached',
      eventTypes: [countReachedEventType(), countReachedEventType('TARGET_MET')],
      reducer: (_, event) => ({ aggregateId: event.aggregateId, version: event.version }),
      eventStorageAdapter: adapter,
    });
    pushEventReaction({ eventStore: reactionsStore, eventType: 'COUNT_REACHED' });
    pushEventReaction({ eventStore: reactionsStore, eventType: 'TARGET_MET' });
    void (() => {
      // prettier-ignore
      // @ts-expect-error not an event type of the store
      pushEventReaction({ eventStore: reactionsStore, eventType: 'COUNT_MISSED' });
    });
  });

  it('pushes only an event type whose payload can hold a crossing', () => {
    pushEventReaction({ eventStore: countReachedStore, eventType: 'COUNT_REACHED' });
    void (() => {
      // prettier-ignore
      // @ts-expect-error ORDER_PLACED's payload (customerId, country, quantity) cannot hold a crossing
      pushEventReaction({ eventStore: ordersStore, eventType: 'ORDER_PLACED' });
      // prettier-ignore
      // @ts-expect-error not an event type of the store
      pushEventReaction({ eventStore: countReachedStore, eventType: 'COUNT_MISSED' });
      // prettier-ignore
      // @ts-expect-error thresholds are integers
      counter({ name: 'x', eventStore: ordersStore, key: () => 'k', thresholds: ['10'] });
    });
  });
});
