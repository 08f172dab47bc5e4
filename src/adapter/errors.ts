import type { EventAlreadyExistsError } from '@castore/core';

import { CounterError, type CounterErrorOf } from '../shared/index.js';

/**
 * The version pushed already exists: the library's one error, with Castore's own code, so
 * that `isEventAlreadyExistsError` and Castore commands' retries see it.
 */
export const eventAlreadyExists = (fields: {
  eventStoreId: string;
  aggregateId: string;
  version: number;
}): EventAlreadyExistsError =>
  new CounterError('EventAlreadyExistsError', fields) as CounterErrorOf<'EventAlreadyExistsError'>;
