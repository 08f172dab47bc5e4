import type { EventDetail } from '@castore/core';
import { describe, expect, it } from 'vitest';

import { counter } from '../../src/counterProjection/index.js';
import { planIncrements } from '../../src/counterProjection/writePath/planIncrements.js';
import { makeOrdersStore } from '../support/eventStores.js';

const ordersStore = makeOrdersStore();

const placed = (country: string, quantity = 2): { eventStoreId: string; event: EventDetail } => ({
  eventStoreId: 'orders',
  event: {
    aggregateId: `o-${country}`,
    version: 1,
    type: 'ORDER_PLACED',
    timestamp: '2024-03-01T12:00:00.000Z',
    payload: { customerId: 'c', country, quantity },
  },
});
const shipped = {
  eventStoreId: 'orders',
  event: {
    aggregateId: 'o-FR',
    version: 2,
    type: 'ORDER_SHIPPED',
    timestamp: '2024-03-01T13:00:00.000Z',
    payload: { carrier: 'ups' },
  },
};

const byCountry = counter({
  name: 'byCountry',
  eventStore: ordersStore,
  eventTypes: ['ORDER_PLACED'],
  key: (event) => event.payload.country,
});
const items = counter({
  name: 'items',
  eventStore: ordersStore,
  eventTypes: ['ORDER_PLACED'],
  key: () => 'all',
  by: (event) => event.payload.quantity,
  targetRef: ({ event }) => `items-of-${event.aggregateId}`,
});
const bigOnly = counter({
  name: 'bigOnly',
  eventStore: ordersStore,
  eventTypes: ['ORDER_PLACED'],
  key: () => 'all',
  filter: (event) => event.payload.quantity > 5,
});

describe('planIncrements (unit)', () => {
  it('plans one increment per counter listening to the event, with its key, by and targetRef', () => {
    const planned = planIncrements({
      counters: [byCountry, items, bigOnly],
      message: placed('FR', 3),
      position: 4,
    });
    expect(
      planned.map(({ counter: c, key, by, targetRef, position }) => [
        c.name,
        key,
        by,
        targetRef,
        position,
      ]),
    ).toEqual([
      ['byCountry', 'FR', 1, 'orders#o-FR#1', 4],
      ['items', 'all', 3, 'items-of-o-FR', 4],
    ]);
  });

  it('plans nothing for event types or stores no counter listens to, and honours filters', () => {
    expect(planIncrements({ counters: [byCountry, items], message: shipped, position: 0 })).toEqual(
      [],
    );
    const users = { ...placed('FR'), eventStoreId: 'users' };
    expect(planIncrements({ counters: [byCountry], message: users, position: 0 })).toEqual([]);
    const big = planIncrements({ counters: [bigOnly], message: placed('FR', 9), position: 0 });
    expect(big.map(({ counter: c }) => c.name)).toEqual(['bigOnly']);
  });

  it.each([
    [
      'filter',
      {
        filter: () => {
          throw new TypeError('filter broke');
        },
      },
    ],
    [
      'key',
      {
        key: () => {
          throw new TypeError('key broke');
        },
      },
    ],
    [
      'by',
      {
        by: () => {
          throw new TypeError('by broke');
        },
      },
    ],
    [
      'targetRef',
      {
        targetRef: () => {
          throw new TypeError('targetRef broke');
        },
      },
    ],
  ] as const)(
    'names %s when that function throws, with the record and the reason',
    (field, override) => {
      const failing = counter({
        name: 'failing',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: () => 'k',
        ...override,
      });
      expect(() =>
        planIncrements({
          counters: [failing],
          message: placed('FR'),
          position: 0,
          sequenceNumber: '77',
        }),
      ).toThrow(
        expect.objectContaining({
          code: 'InvalidIncrement',
          counterName: 'failing',
          field,
          sequenceNumber: '77',
          value: `TypeError: ${field} broke`,
        }),
      );
    },
  );

  it('refuses what a function returns when it cannot be counted, naming the field', () => {
    const fractional = counter({
      name: 'fractional',
      eventStore: ordersStore,
      eventTypes: ['ORDER_PLACED'],
      key: (event) => event.payload.country,
      by: () => 0.5,
    });
    expect(() =>
      planIncrements({ counters: [fractional], message: placed('FR'), position: 0 }),
    ).toThrow(expect.objectContaining({ code: 'InvalidIncrement', field: 'by', value: 0.5 }));
    expect(() =>
      planIncrements({ counters: [byCountry], message: placed(''), position: 0 }),
    ).toThrow(expect.objectContaining({ code: 'InvalidIncrement', field: 'key', value: '' }));
  });
});
