import { type EventDetail, EventStore, type GroupedEvent } from '@castore/core';

import type { OrdersStore, UsersStore } from './eventStores.js';
import type { Operation, PlannedEvent } from './workloadPlan.js';

export interface PushedEvent {
  eventStoreId: string;
  event: EventDetail;
}

/**
 * Pushes the operations through Castore, `concurrency` at a time, each after the
 * previous operation on the same aggregates (versions must arrive in order).
 */
export const pushWorkload = async ({
  operations,
  stores,
  concurrency,
  signal,
  onPushed,
  onError,
}: {
  operations: Operation[];
  stores: { orders: OrdersStore; users: UsersStore };
  concurrency: number;
  signal: AbortSignal;
  /** After each operation: how many events it pushed, and which. */
  onPushed: (count: number, events: PushedEvent[]) => void;
  /** When given, a failed push is reported here and the others go on (the chaos runs); otherwise it rejects. */
  onError?: (operation: Operation, error: unknown) => void;
}): Promise<PushedEvent[]> => {
  const pushed: PushedEvent[] = [];
  const lastOnAggregate = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();

  for (const operation of operations) {
    if (signal.aborted) break;
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const keys = operation.map(({ store, aggregateId }) => `${store}#${aggregateId}`);
    const previous = keys.flatMap((key) => lastOnAggregate.get(key) ?? []);
    const push = Promise.all(previous).then(async () => {
      try {
        const events = await pushOperation(operation, stores);
        pushed.push(...events);
        onPushed(events.length, events);
      } catch (error) {
        if (onError === undefined) throw error;
        onError(operation, error);
      }
    });
    keys.forEach((key) => lastOnAggregate.set(key, push));
    inFlight.add(push);
    void push.finally(() => inFlight.delete(push)).catch(() => undefined);
  }
  await Promise.all(inFlight);
  return pushed;
};

const pushOperation = async (
  operation: Operation,
  stores: { orders: OrdersStore; users: UsersStore },
): Promise<PushedEvent[]> => {
  if (operation.length === 1) {
    const [planned] = operation as [PlannedEvent];
    const { event } = await storeOf(planned, stores).pushEvent(toDetail(planned) as never);
    return [{ eventStoreId: planned.store, event: event as EventDetail }];
  }
  const grouped = operation.map((planned) =>
    storeOf(planned, stores).groupEvent(toDetail(planned) as never),
  ) as [GroupedEvent, ...GroupedEvent[]];
  const { eventGroup } = await EventStore.pushEventGroup({}, ...grouped);
  return eventGroup.map(({ event }, index) => ({
    eventStoreId: (operation[index] as PlannedEvent).store,
    event: event as EventDetail,
  }));
};

const storeOf = (planned: PlannedEvent, stores: { orders: OrdersStore; users: UsersStore }) =>
  (planned.store === 'orders' ? stores.orders : stores.users) as unknown as EventStore;

const toDetail = ({ store: _store, ...event }: PlannedEvent) => event;
