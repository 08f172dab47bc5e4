import { type EventStorageAdapter, EventStore } from '@castore/core';
import { JSONSchemaEventType } from '@castore/event-type-json-schema';

/** The demo's domain, two JSON-schema typed event stores (the tests count over them too). */
export const orderPlacedEventType = new JSONSchemaEventType({
  type: 'ORDER_PLACED',
  payloadSchema: {
    type: 'object',
    properties: {
      customerId: { type: 'string' },
      country: { type: 'string' },
      quantity: { type: 'integer' },
    },
    required: ['customerId', 'country', 'quantity'],
    additionalProperties: false,
  } as const,
});

export const orderShippedEventType = new JSONSchemaEventType({
  type: 'ORDER_SHIPPED',
  payloadSchema: {
    type: 'object',
    properties: { carrier: { type: 'string' } },
    required: ['carrier'],
    additionalProperties: false,
  } as const,
});

export const orderCancelledEventType = new JSONSchemaEventType({ type: 'ORDER_CANCELLED' });

export const userSignedUpEventType = new JSONSchemaEventType({
  type: 'USER_SIGNED_UP',
  payloadSchema: {
    type: 'object',
    properties: { plan: { enum: ['free', 'pro'] } },
    required: ['plan'],
    additionalProperties: false,
  } as const,
  metadataSchema: {
    type: 'object',
    properties: { source: { type: 'string' } },
    additionalProperties: false,
  } as const,
});

export const userUpgradedEventType = new JSONSchemaEventType({
  type: 'USER_UPGRADED',
  payloadSchema: { type: 'object', properties: {}, additionalProperties: false } as const,
});

export interface OrderAggregate {
  aggregateId: string;
  version: number;
  status: 'placed' | 'shipped' | 'cancelled';
  quantity: number;
}

export interface UserAggregate {
  aggregateId: string;
  version: number;
  plan: 'free' | 'pro';
}

export const makeOrdersStore = (eventStorageAdapter?: EventStorageAdapter) =>
  new EventStore({
    eventStoreId: 'orders',
    eventTypes: [orderPlacedEventType, orderShippedEventType, orderCancelledEventType],
    reducer: (order: OrderAggregate | undefined, event): OrderAggregate => {
      const { aggregateId, version } = event;
      switch (event.type) {
        case 'ORDER_PLACED':
          return { aggregateId, version, status: 'placed', quantity: event.payload.quantity };
        case 'ORDER_SHIPPED':
          return { ...(order as OrderAggregate), version, status: 'shipped' };
        case 'ORDER_CANCELLED':
          return { ...(order as OrderAggregate), version, status: 'cancelled' };
      }
    },
    ...(eventStorageAdapter !== undefined ? { eventStorageAdapter } : {}),
  });

export const makeUsersStore = (eventStorageAdapter?: EventStorageAdapter) =>
  new EventStore({
    eventStoreId: 'users',
    eventTypes: [userSignedUpEventType, userUpgradedEventType],
    reducer: (user: UserAggregate | undefined, event): UserAggregate => {
      const { aggregateId, version } = event;
      switch (event.type) {
        case 'USER_SIGNED_UP':
          return { aggregateId, version, plan: event.payload.plan };
        case 'USER_UPGRADED':
          return { ...(user as UserAggregate), version, plan: 'pro' };
      }
    },
    ...(eventStorageAdapter !== undefined ? { eventStorageAdapter } : {}),
  });

export type OrdersStore = ReturnType<typeof makeOrdersStore>;
export type UsersStore = ReturnType<typeof makeUsersStore>;
export type CountReachedStore = ReturnType<typeof makeCountReachedStore>;

/** What the demo's reactions push when a count reaches a threshold or a target. */
export const countReachedEventType = new JSONSchemaEventType({
  type: 'COUNT_REACHED',
  payloadSchema: {
    type: 'object',
    properties: {
      counterName: { type: 'string' },
      key: { type: 'string' },
      kind: { enum: ['threshold', 'floor', 'target'] },
      value: { type: 'integer' },
      count: { type: 'integer' },
      idempotencyKey: { type: 'string' },
      reachedAt: { type: 'string' },
    },
    required: ['counterName', 'key', 'kind', 'value', 'count', 'idempotencyKey'],
    additionalProperties: false,
  } as const,
});

/** One aggregate per crossing (`<counter>#<key>#<kind>#<value>`), holding its one event. */
export const makeCountReachedStore = (eventStorageAdapter?: EventStorageAdapter) =>
  new EventStore({
    eventStoreId: 'counterEvents',
    eventTypes: [countReachedEventType],
    reducer: (_, event) => ({
      aggregateId: event.aggregateId,
      version: event.version,
      reached: event.payload,
    }),
    ...(eventStorageAdapter !== undefined ? { eventStorageAdapter } : {}),
  });
