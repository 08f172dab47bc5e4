import {
  type EventStore,
  type EventStoreEventDetails,
  isEventAlreadyExistsError,
} from '@castore/core';

import type { Crossing } from './crossings.js';

/**
 * What happens when a (counter, key) reaches a value. Resolving to 'alreadyFired' says the
 * crossing had fired before (an event already pushed): counted apart in the stats. A plain
 * callback may be called again for the same crossing (the stream redelivers, a count goes
 * down and up again): its idempotencyKey is the same every time.
 */
// void: a callback that returns nothing is a reaction that fired.
/* eslint-disable @typescript-eslint/no-invalid-void-type */
export type Reaction<COUNTER_NAME extends string = string> = (
  crossing: Crossing<COUNTER_NAME>,
) => Promise<'fired' | 'alreadyFired' | void> | void;
/* eslint-enable @typescript-eslint/no-invalid-void-type */

/** What the pushed event's payload holds: the crossing itself. */
export type CountReachedPayload = Omit<Crossing, 'counterName'> & { counterName: string };

type PayloadOf<EVENT_STORE extends EventStore, TYPE extends string> =
  Extract<EventStoreEventDetails<EVENT_STORE>, { type: TYPE }> extends { payload: infer PAYLOAD }
    ? PAYLOAD
    : never;

/** The store's event types whose payload can hold a crossing. */
export type ReactionEventType<EVENT_STORE extends EventStore> = {
  [TYPE in EventStoreEventDetails<EVENT_STORE>['type']]: CountReachedPayload extends PayloadOf<
    EVENT_STORE,
    TYPE
  >
    ? TYPE
    : never;
}[EventStoreEventDetails<EVENT_STORE>['type']];

/**
 * The Castore reaction: pushes `eventType` to `eventStore` on aggregate
 * `<counter>#<key>#<kind>#<value>` at version 1, so that a second firing of a crossing is
 * the adapter's EventAlreadyExists, and therefore impossible: exactly one event per
 * crossing, whatever the streams redeliver. Its timestamp is when the count got there.
 */
export const pushEventReaction =
  <EVENT_STORE extends EventStore>({
    eventStore,
    eventType,
  }: {
    eventStore: EVENT_STORE;
    eventType: ReactionEventType<EVENT_STORE>;
  }): Reaction =>
  async (crossing) => {
    try {
      await (eventStore as EventStore).pushEvent({
        aggregateId: crossing.idempotencyKey,
        version: 1,
        type: eventType,
        payload: crossing,
        ...(crossing.reachedAt !== undefined ? { timestamp: crossing.reachedAt } : {}),
      } as Parameters<EventStore['pushEvent']>[0]);
      return 'fired';
    } catch (error) {
      if (isEventAlreadyExistsError(error)) return 'alreadyFired';
      throw error;
    }
  };
