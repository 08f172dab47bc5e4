import type { EventDetail } from '@castore/core';

import { CounterError, type IncrementField, isWellFormed, utf8Bytes } from '../../shared/index.js';
import type { Counter } from '../counter.js';
import { bucketsOf } from '../windows.js';

/** One event counted by one counter: what one ref item and its share of the increment stand for. */
export interface PlannedIncrement {
  counter: Counter;
  key: string;
  by: number;
  targetRef: string;
  /** The event's timestamp, for the window buckets. */
  timestamp: string;
  /** Its bucket in each of the counter's windows, in the counter's order. */
  buckets: string[];
  /** The index of the record it comes from in its batch (0 for direct increments). */
  position: number;
  /**
   * A shardWatermark counter's increment counted through refs under a rebuild: the rebuild's
   * id, written on the items it touches (countsItems/countGuard.ts).
   */
  rebuildId?: string;
}

// The key ends up in partition keys (2,048 bytes, with the counter name of at most 255).
// A targetRef longer than a sort key's 1,024 bytes is stored hashed (countsTable.ts), so
// that the default one of any aggregate id the adapter accepts fits; its bound only keeps
// ref items small.
export const MAX_KEY_BYTES = 1024;
const MAX_TARGET_REF_BYTES = 8192;

/** What the counters listening to this event would count; throws InvalidIncrementError. */
export const planIncrements = ({
  counters,
  message,
  position,
  sequenceNumber,
}: {
  counters: readonly Counter[];
  message: { eventStoreId: string; event: EventDetail };
  position: number;
  sequenceNumber?: string | undefined;
}): PlannedIncrement[] => {
  const planned: PlannedIncrement[] = [];
  for (const counter of counters) {
    // One try per counter, the function being called named: the error says which threw.
    let field: IncrementField = 'filter';
    let read: { key: unknown; by: unknown; targetRef: unknown };
    try {
      if (!counter.listensTo(message)) continue;
      field = 'key';
      const key = counter.read('key', message);
      field = 'by';
      const by = counter.read('by', message);
      field = 'targetRef';
      read = { key, by, targetRef: counter.read('targetRef', message) };
    } catch (error) {
      throw threwOn(counter, field, sequenceNumber, error);
    }
    const { timestamp } = message.event;
    planned.push(toIncrement({ counter, ...read, timestamp, position, sequenceNumber }));
  }
  return planned;
};

/** A counter's own function that throws on an odd event (`null.country`) fails the record with a typed error. */
const threwOn = (
  counter: Counter,
  field: IncrementField,
  sequenceNumber: string | undefined,
  error: unknown,
): CounterError =>
  new CounterError('InvalidIncrement', {
    counterName: counter.name,
    field,
    value: `${(error as Error).name}: ${(error as Error).message}`,
    expected: 'counter functions (filter, key, by, targetRef) that do not throw on this event',
    ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
  });

/** Checks what a counter definition (or a direct caller) gave before it reaches DynamoDB keys. */
export const toIncrement = ({
  counter,
  key,
  by,
  targetRef,
  timestamp,
  position,
  sequenceNumber,
}: {
  counter: Counter;
  key: unknown;
  by: unknown;
  targetRef: unknown;
  timestamp: string;
  position: number;
  sequenceNumber?: string | undefined;
}): PlannedIncrement => {
  // A function of the module, not a closure per increment: this is every record's path.
  const refused = { counterName: counter.name, sequenceNumber };
  return {
    counter,
    key: isBoundedString(key, MAX_KEY_BYTES)
      ? key
      : invalid(
          refused,
          'key',
          key,
          `a non-empty, well-formed string of at most ${MAX_KEY_BYTES} UTF-8 bytes`,
        ),
    by: Number.isSafeInteger(by) ? (by as number) : invalid(refused, 'by', by, 'an integer'),
    targetRef: isBoundedString(targetRef, MAX_TARGET_REF_BYTES)
      ? targetRef
      : invalid(
          refused,
          'targetRef',
          targetRef,
          `a non-empty, well-formed string of at most ${MAX_TARGET_REF_BYTES} UTF-8 bytes`,
        ),
    timestamp,
    buckets: bucketsOf(counter.windows, timestamp),
    position,
  };
};

const invalid = (
  { counterName, sequenceNumber }: { counterName: string; sequenceNumber: string | undefined },
  field: 'key' | 'by' | 'targetRef',
  value: unknown,
  expected: string,
): never => {
  throw new CounterError('InvalidIncrement', {
    counterName,
    field,
    value,
    expected,
    ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
  });
};

// A UTF-16 code unit is at most 3 UTF-8 bytes: a string that short needs no count.
export const isBoundedString = (value: unknown, maxBytes: number): value is string =>
  typeof value === 'string' &&
  value !== '' &&
  (value.length * 3 <= maxBytes || utf8Bytes(value) <= maxBytes) &&
  isWellFormed(value);
