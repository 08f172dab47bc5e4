import { counter } from '../counterProjection/index.js';
import { makeCountReachedStore, makeOrdersStore, makeUsersStore } from './eventStores.js';

/*
 * The demo's counters, and an example of a module for `castore-dynamodb-counter run
 * --counters <module>`: it exports `counters` and the `sourceEventStores` they read, and,
 * optionally, `reactions`: where a COUNT_REACHED event goes when a count reaches one of
 * its counter's thresholds or its target (`run --reactions-table` says in which table).
 */
export const ordersStore = makeOrdersStore();
export const usersStore = makeUsersStore();
export const sourceEventStores = [ordersStore, usersStore];

export const counters = [
  counter({
    name: 'ordersByCountry',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (event) => event.payload.country,
    windows: ['minute', 'hour'],
    thresholds: [10, 100, 1_000],
  }),
  counter({
    name: 'itemsByCountry',
    eventStore: ordersStore,
    eventTypes: ['ORDER_PLACED'],
    key: (event) => event.payload.country,
    by: (event) => event.payload.quantity,
  }),
  counter({
    name: 'openOrders',
    eventStore: ordersStore,
    key: () => 'all',
    by: (event) => (event.type === 'ORDER_PLACED' ? 1 : -1), // shipped or cancelled closes it
  }),
  counter({
    name: 'signupsByPlan',
    eventStore: usersStore,
    eventTypes: ['USER_SIGNED_UP'],
    key: (event) => event.payload.plan,
    windows: ['day'],
  }),
  counter({
    name: 'upgrades',
    eventStore: usersStore,
    eventTypes: ['USER_UPGRADED'],
    key: () => 'all',
  }),
];

export const countReachedStore = makeCountReachedStore();
export const reactions = { eventStore: countReachedStore, eventType: 'COUNT_REACHED' as const };
