import { EventType } from '@castore/core';

import type { CountReachedPayload } from './reaction.js';

/**
 * The event type a Castore reaction pushes (`pushEventReaction`): list it in the
 * eventTypes of the store the reactions push to, instead of writing its payload type by
 * hand. Named `COUNT_REACHED` unless you name it.
 */
export function countReachedEventType(): EventType<'COUNT_REACHED', CountReachedPayload, unknown>;
export function countReachedEventType<TYPE extends string>(
  type: TYPE,
): EventType<TYPE, CountReachedPayload, unknown>;
// Overloads, not a default type parameter: inside `eventTypes: [...]` TypeScript would
// infer the name from the array's type (any string) and lose the literal.
export function countReachedEventType(
  type = 'COUNT_REACHED',
): EventType<string, CountReachedPayload, unknown> {
  return new EventType<string, CountReachedPayload, unknown>({ type });
}
