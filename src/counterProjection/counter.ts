import type { EventDetail, EventStore, EventStoreEventDetails, EventStoreId } from '@castore/core';

import { validateCounterOptions } from './counterValidation.js';
import type { CounterWindow } from './windows.js';

/** The events of a store, narrowed to the listed types. */
type CountedEvent<EVENT_STORE extends EventStore, EVENT_TYPE extends string> = Extract<
  EventStoreEventDetails<EVENT_STORE>,
  { type: EVENT_TYPE }
>;

export interface CounterOptions<
  EVENT_STORE extends EventStore,
  EVENT_TYPE extends string,
  NAME extends string = string,
  WINDOW extends CounterWindow = CounterWindow,
  IDEMPOTENCY extends CounterIdempotency = CounterIdempotency,
> {
  /** Unique within a projection, without '#'. Part of every item key: renaming starts a new counter. */
  name: NAME;
  eventStore: EVENT_STORE;
  /** The event types counted; all of the store's when absent. */
  eventTypes?: readonly EVENT_TYPE[];
  /**
   * Which count the event goes to (e.g. a country, a customer id). Anything but a
   * non-empty string fails the record: a malformed payload is never silently skipped.
   */
  key: (event: CountedEvent<EVENT_STORE, EVENT_TYPE>) => string;
  /** Counts only the events it returns true for (after eventTypes). */
  filter?: (event: CountedEvent<EVENT_STORE, EVENT_TYPE>) => boolean;
  /** The increment: an integer, possibly negative, possibly read from the payload. Default 1. */
  by?: number | ((event: CountedEvent<EVENT_STORE, EVENT_TYPE>) => number);
  /** Time windows counted alongside the all-time total, bucketed by the event's timestamp (UTC). */
  windows?: readonly WINDOW[];
  /**
   * Days a window's buckets are kept after they end, e.g. `{ minute: 2, hour: 30 }`: past it a
   * bucket reads as absent, and DynamoDB's TTL (attribute `expiresAt`) deletes it. A window
   * without one keeps its buckets for ever.
   */
  windowRetention?: Partial<Record<NoInfer<WINDOW>, number>>;
  /**
   * What makes the count idempotent; default `eventStoreId#aggregateId#version`. None with
   * shardWatermark: a type error that says so (and refused at run time, for JavaScript).
   */
  targetRef?: [IDEMPOTENCY] extends ['shardWatermark']
    ? "none with idempotency 'shardWatermark': it counts each stream record once"
    : (message: {
        eventStoreId: EventStoreId<EVENT_STORE>;
        event: CountedEvent<EVENT_STORE, EVENT_TYPE>;
      }) => string;
  /**
   * How many partitions a counter's refs are spread over (default 64). Fixed for the
   * counter's life: the projection refuses to count with another value. None with
   * shardWatermark, as targetRef.
   */
  refShards?: [IDEMPOTENCY] extends ['shardWatermark']
    ? "none with idempotency 'shardWatermark': it writes no refs"
    : number;
  /**
   * Counts whose reaching fires the reactions (CounterReactions), once per key: the count
   * goes from below a threshold to at or above it.
   */
  thresholds?: readonly number[];
  /** Counts reached going down (with negative increments): from above to at or below. */
  floors?: readonly number[];
  /**
   * How an event is counted once. `refs` (the default): a ref item per event, exact in
   * every setting, 2 WCU or more per event. `shardWatermark`: one conditional write per
   * counts item (the total, each window bucket) and batch, a mark per shard in the item (0.41
   * WCU per event on the bench's mixed workload, where a plain ADD costs 1.00), exact only
   * when counted by the stream runner; refused elsewhere (docs/counters.md, "Idempotency").
   * Without targetRef and refShards. Fixed for the counter's life.
   */
  idempotency?: IDEMPOTENCY;
}

export type CounterIdempotency = 'refs' | 'shardWatermark';

/**
 * A counter definition, typed from its event store when built, usable in any projection.
 * WINDOW is the windows it counts (never without any), so that reading a window it does
 * not count is a type error.
 */
export interface Counter<
  EVENT_STORE_ID extends string = string,
  NAME extends string = string,
  WINDOW extends CounterWindow = CounterWindow,
> {
  readonly name: NAME;
  readonly eventStoreId: EVENT_STORE_ID;
  readonly eventTypes: readonly string[] | undefined;
  readonly windows: readonly WINDOW[];
  /** Days each window's buckets are kept after they end (see CounterOptions). */
  readonly windowRetention: Partial<Record<CounterWindow, number>>;
  readonly refShards: number;
  readonly idempotency: CounterIdempotency;
  /** What its reactions fire on (empty when none): see CounterOptions. */
  readonly thresholds: readonly number[];
  readonly floors: readonly number[];
  /**
   * The raw result of one of the definition's functions for an event it listens to,
   * validated by the caller. One function at a time, so that an error names the one that threw.
   */
  readonly read: (
    field: 'key' | 'by' | 'targetRef',
    message: { eventStoreId: string; event: EventDetail },
  ) => unknown;
  /** Whether the event is counted at all: its store, its type and the filter. */
  readonly listensTo: (message: { eventStoreId: string; event: EventDetail }) => boolean;
}

export const DEFAULT_REF_SHARDS = 64;

export const defaultTargetRef = ({
  eventStoreId,
  event,
}: {
  eventStoreId: string;
  event: EventDetail;
}): string => `${eventStoreId}#${event.aggregateId}#${event.version}`;

export const counter = <
  EVENT_STORE extends EventStore,
  const NAME extends string,
  const EVENT_TYPE extends EventStoreEventDetails<EVENT_STORE>['type'] =
    EventStoreEventDetails<EVENT_STORE>['type'],
  const WINDOW extends CounterWindow = never,
  const IDEMPOTENCY extends CounterIdempotency = 'refs',
>(
  options: CounterOptions<EVENT_STORE, EVENT_TYPE, NAME, WINDOW, IDEMPOTENCY>,
): Counter<EventStoreId<EVENT_STORE>, NAME, WINDOW> => {
  const {
    name,
    eventStore,
    eventTypes,
    key,
    filter,
    by = 1,
    windows = [],
    windowRetention = {},
    thresholds = [],
    floors = [],
    idempotency = 'refs',
  } = options;
  validateCounterOptions(options);
  // IDEMPOTENCY only types the options: validated, a shardWatermark counter has neither.
  const { targetRef = defaultTargetRef, refShards = DEFAULT_REF_SHARDS } =
    options as CounterOptions<EVENT_STORE, EVENT_TYPE, NAME, WINDOW, 'refs'>;
  const typeSet = eventTypes === undefined ? undefined : new Set<string>(eventTypes);
  type Event = CountedEvent<EVENT_STORE, EVENT_TYPE>;
  return {
    name,
    eventStoreId: eventStore.eventStoreId as EventStoreId<EVENT_STORE>,
    eventTypes,
    windows: [...new Set(windows)],
    windowRetention: { ...windowRetention },
    refShards,
    idempotency,
    thresholds: [...new Set(thresholds)],
    floors: [...new Set(floors)],
    listensTo: ({ eventStoreId, event }) =>
      eventStoreId === eventStore.eventStoreId &&
      (typeSet === undefined || typeSet.has(event.type)) &&
      (filter === undefined || filter(event as Event)),
    // Only called after listensTo: the event is one of EVENT_TYPE of this store.
    read: (field, message) => {
      const event = message.event as Event;
      if (field === 'key') return key(event);
      if (field === 'by') return typeof by === 'function' ? by(event) : by;
      return targetRef({ eventStoreId: message.eventStoreId as EventStoreId<EVENT_STORE>, event });
    },
  };
};
