import type { EventStore } from '@castore/core';

import { CounterError, isWellFormed, utf8Bytes } from '../shared/index.js';
import { COUNTER_WINDOWS, isCounterWindow } from './windows.js';

/** With a key of at most 1,024 bytes, every partition key the projection writes fits DynamoDB's 2,048. */
const MAX_NAME_BYTES = 255;
const MAX_REF_SHARDS = 1000;

interface UncheckedOptions {
  name: unknown;
  eventStore: EventStore;
  eventTypes?: readonly string[] | undefined;
  key: unknown;
  filter?: unknown;
  by?: unknown;
  windows?: readonly unknown[] | undefined;
  windowRetention?: unknown;
  targetRef?: unknown;
  refShards?: unknown;
  thresholds?: readonly unknown[] | undefined;
  floors?: readonly unknown[] | undefined;
  idempotency?: unknown;
}

type Fail = (field: string, value: unknown, expected: string) => never;

/** Checks a counter definition when it is built: InvalidCounterDefinition names the field. */
export const validateCounterOptions = (checked: object) => {
  const options = checked as UncheckedOptions;
  const fail: Fail = (field, value, expected) => {
    throw new CounterError('InvalidCounterDefinition', {
      counterName: options.name,
      field,
      value,
      expected,
    });
  };
  validateName(options.name, fail);
  validateEventTypes(options, fail);
  validateFunctions(options, fail);
  for (const window of options.windows ?? []) {
    if (!isCounterWindow(window)) fail('windows', window, `one of ${COUNTER_WINDOWS.join(', ')}`);
  }
  for (const field of ['thresholds', 'floors'] as const)
    for (const value of options[field] ?? [])
      if (!Number.isSafeInteger(value)) fail(field, value, 'safe integers');
  validateIdempotency(options, fail);
  validateRetention(options, fail);
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

const validateIdempotency = (
  { idempotency, targetRef, refShards }: UncheckedOptions,
  fail: Fail,
) => {
  if (idempotency === undefined || idempotency === 'refs') return;
  if (idempotency !== 'shardWatermark')
    fail('idempotency', idempotency, "'refs' or 'shardWatermark'");
  // A watermark counts each stream record once: a targetRef (count once per something
  // else) and refShards mean nothing to it, and silently ignoring them would mislead.
  if (targetRef !== undefined)
    fail(
      'targetRef',
      'a function',
      "none with idempotency 'shardWatermark' (it counts each record once)",
    );
  if (refShards !== undefined)
    fail('refShards', refShards, "none with idempotency 'shardWatermark' (it writes no refs)");
};

const MAX_RETENTION_DAYS = 36_500;

const validateRetention = ({ windows = [], windowRetention }: UncheckedOptions, fail: Fail) => {
  if (windowRetention === undefined) return;
  if (typeof windowRetention !== 'object' || windowRetention === null)
    fail('windowRetention', windowRetention, 'an object of days per window');
  for (const [window, days] of Object.entries(windowRetention as object)) {
    if (!windows.includes(window))
      fail('windowRetention', window, `one of the counter's windows (${windows.join(', ')})`);
    if (!Number.isSafeInteger(days) || Number(days) < 1 || Number(days) > MAX_RETENTION_DAYS)
      fail(`windowRetention.${window}`, days, `whole days from 1 to ${MAX_RETENTION_DAYS}`);
  }
};
