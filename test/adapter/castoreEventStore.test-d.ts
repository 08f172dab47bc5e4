// Each `prettier-ignore` keeps a type error on the line right after its @ts-expect-error.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expectTypeOf, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { makeOrdersStore } from '../support/eventStores.js';

const adapter = new DynamoDBSingleTableEventStorageAdapter({
  tableName: 't',
  dynamoDBClient: new DynamoDBClient({}),
});
const ordersStore = makeOrdersStore(adapter);

describe('payload types come from the JSON schemas', () => {
  it('accepts a payload of the schema', () => {
    expectTypeOf(ordersStore.pushEvent)
      .parameter(0)
      .extract<{ type: 'ORDER_PLACED' }>()
      .toHaveProperty('payload')
      .toEqualTypeOf<{ customerId: string; country: string; quantity: number }>();
  });

  it('refuses payloads that do not match at compile time', () => {
    // Each line below must be a type error, or `npm test` fails (unused @ts-expect-error).
    void (() => {
      // prettier-ignore
      // @ts-expect-error quantity must be a number
      void ordersStore.pushEvent({ aggregateId: 'a', version: 1, type: 'ORDER_PLACED', payload: { customerId: 'c', country: 'FR', quantity: '3' } });
      // prettier-ignore
      // @ts-expect-error the country is required
      void ordersStore.pushEvent({ aggregateId: 'a', version: 1, type: 'ORDER_PLACED', payload: { customerId: 'c', quantity: 3 } });
      // prettier-ignore
      // @ts-expect-error no such event type in this store
      void ordersStore.pushEvent({ aggregateId: 'a', version: 1, type: 'USER_SIGNED_UP', payload: { plan: 'free' } });
    });
  });
});
