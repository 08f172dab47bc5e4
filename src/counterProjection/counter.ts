import type { EventDetail, EventStore, EventStoreEventDetails, EventStoreId } from '@castore/core';

import { isWellFormed, utf8Bytes } from '../shared/strings.js';
import { InvalidCounterDefinitionError } from './errors.js';
import { type CounterWindow, isCounterWindow } from './windows.js';

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
  /** What makes the count idempotent; default `eventStoreId#aggregateId#version`. */
  targetRef?: (message: {
    eventStoreId: EventStoreId<EVENT_STORE>;
    event: CountedEvent<EVENT_STORE, EVENT_TYPE>;
  }) => string;
  /**
   * How many partitions a counter's refs are spread over (default 64). Fixed for the
   * counter's life: the projection refuses to count with another value.
   */
  refShards?: number;
}

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
  readonly refShards: number;
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
/** With a key of at most 1,024 bytes, every partition key the projection writes fits DynamoDB's 2,048. */
const MAX_NAME_BYTES = 255;
const MAX_REF_SHARDS = 1000;

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
>(
  options: CounterOptions<EVENT_STORE, EVENT_TYPE, NAME, WINDOW>,
): Counter<EventStoreId<EVENT_STORE>, NAME, WINDOW> => {
  const {
    name,
    eventStore,
    eventTypes,
    key,
    filter,
    by = 1,
    windows = [],
    targetRef = defaultTargetRef,
    refShards = DEFAULT_REF_SHARDS,
  } = options;
  validate(options as UncheckedOptions);
  const typeSet = eventTypes === undefined ? undefined : new Set<string>(eventTypes);
  type Event = CountedEvent<EVENT_STORE, EVENT_TYPE>;
  return {
    name,
    eventStoreId: eventStore.eventStoreId as EventStoreId<EVENT_STORE>,
    eventTypes,
    windows: [...new Set(windows)],
    refShards,
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

interface UncheckedOptions {
  name: unknown;
  eventStore: EventStore;
  eventTypes?: readonly string[] | undefined;
  key: unknown;
  filter?: unknown;
  by?: unknown;
  windows?: readonly unknown[] | undefined;
  targetRef?: unknown;
  refShards?: unknown;
}

type Fail = (field: string, value: unknown, expected: string) => never;

const validate = (options: UncheckedOptions) => {
  const fail: Fail = (field, value, expected) => {
    throw new InvalidCounterDefinitionError({ counterName: options.name, field, value, expected });
  };
  validateName(options.name, fail);
  validateEventTypes(options, fail);
  validateFunctions(options, fail);
  for (const window of options.windows ?? []) {
    if (!isCounterWindow(window)) fail('windows', window, 'minute, hour or day');
  }
  const { refShards } = options;
  const validShards =
    Number.isSafeInteger(refShards) &&
    Number(refShards) >= 1 &&
    Number(refShards) <= MAX_REF_SHARDS;
  if (refShards !== undefined && !validShards)
    fail('refShards', refShards, `an integer from 1 to ${MAX_REF_SHARDS}`);
};

const validateName = (name: unknown, fail: Fail) => {
  const valid =
    typeof name === 'string' &&
    name !== '' &&
    !name.includes('#') &&
    utf8Bytes(name) <= MAX_NAME_BYTES &&
    isWellFormed(name);
  if (!valid)
    fail(
      'name',
      name,
      `a non-empty, well-formed string without '#', of at most ${MAX_NAME_BYTES} UTF-8 bytes`,
    );
};

const validateEventTypes = ({ eventStore, eventTypes }: UncheckedOptions, fail: Fail) => {
  const storeTypes = new Set(eventStore.eventTypes.map(({ type }) => type));
  for (const type of eventTypes ?? []) {
    if (!storeTypes.has(type))
      fail(
        'eventTypes',
        type,
        `event types of ${eventStore.eventStoreId}: ${[...storeTypes].join(', ')}`,
      );
  }
};

const validateFunctions = ({ key, filter, by, targetRef }: UncheckedOptions, fail: Fail) => {
  if (typeof key !== 'function') fail('key', key, 'a function of the event');
  if (filter !== undefined && typeof filter !== 'function')
    fail('filter', filter, 'a function of the event');
  if (by !== undefined && typeof by !== 'function' && !Number.isSafeInteger(by))
    fail('by', by, 'an integer or a function of the event');
  if (targetRef !== undefined && typeof targetRef !== 'function')
    fail('targetRef', targetRef, 'a function of the event');
};
