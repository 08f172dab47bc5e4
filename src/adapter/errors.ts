import { type EventAlreadyExistsError, eventAlreadyExistsErrorCode } from '@castore/core';

import { describeValue, errorGuard, TypedError } from '../shared/typedError.js';

/** Castore's own code, so that `isEventAlreadyExistsError` and Castore commands' retries see it. */
export class DynamoDBEventAlreadyExistsError
  extends TypedError<typeof eventAlreadyExistsErrorCode>
  implements EventAlreadyExistsError
{
  readonly code = eventAlreadyExistsErrorCode;
  readonly eventStoreId: string;
  readonly aggregateId: string;
  readonly version: number;

  constructor({
    eventStoreId,
    aggregateId,
    version,
  }: {
    eventStoreId: string;
    aggregateId: string;
    version: number;
  }) {
    super(
      `Event already exists for ${eventStoreId} aggregate ${aggregateId} and version ${version}: ` +
        'read the aggregate again and push the next version (or pass force to overwrite).',
    );
    this.eventStoreId = eventStoreId;
    this.aggregateId = aggregateId;
    this.version = version;
  }
}

export const invalidEventStoreIdErrorCode = 'InvalidEventStoreId';
export class InvalidEventStoreIdError extends TypedError<typeof invalidEventStoreIdErrorCode> {
  readonly code = invalidEventStoreIdErrorCode;
  readonly eventStoreId: unknown;
  constructor({ eventStoreId }: { eventStoreId: unknown }) {
    super(
      `Invalid eventStoreId ${describeValue(eventStoreId)}: it must be a non-empty, well-formed string without '#', ` +
        "because '#' separates the event store from the aggregate id in the table's partition key.",
    );
    this.eventStoreId = eventStoreId;
  }
}
export const isInvalidEventStoreIdError = errorGuard<InvalidEventStoreIdError>(
  invalidEventStoreIdErrorCode,
);

export const invalidEventErrorCode = 'InvalidEvent';
/** A field of an event (or an aggregate id argument) that DynamoDB cannot store or that would be misread. */
export class InvalidEventError extends TypedError<typeof invalidEventErrorCode> {
  readonly code = invalidEventErrorCode;
  readonly field: string;
  readonly value: unknown;
  readonly expected: string;
  constructor({ field, value, expected }: { field: string; value: unknown; expected: string }) {
    super(`Invalid event ${field} ${describeValue(value)}: expected ${expected}.`);
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}
export const isInvalidEventError = errorGuard<InvalidEventError>(invalidEventErrorCode);

export const invalidQueryOptionErrorCode = 'InvalidQueryOption';
export class InvalidQueryOptionError extends TypedError<typeof invalidQueryOptionErrorCode> {
  readonly code = invalidQueryOptionErrorCode;
  readonly option: string;
  readonly value: unknown;
  readonly expected: string;
  constructor({ option, value, expected }: { option: string; value: unknown; expected: string }) {
    super(`Invalid option ${option} ${describeValue(value)}: expected ${expected}.`);
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}
export const isInvalidQueryOptionError = errorGuard<InvalidQueryOptionError>(
  invalidQueryOptionErrorCode,
);

export const invalidEventGroupErrorCode = 'InvalidEventGroup';
export type InvalidEventGroupReason =
  | 'EmptyGroup'
  | 'TooManyEvents'
  | 'ForeignAdapter'
  | 'MissingContext'
  | 'DifferentDynamoDBClients'
  | 'DuplicateEventKey'
  | 'DifferentTimestamps';

/** Thrown before anything is sent to DynamoDB: nothing of the group was written. */
export class InvalidEventGroupError extends TypedError<typeof invalidEventGroupErrorCode> {
  readonly code = invalidEventGroupErrorCode;
  readonly reason: InvalidEventGroupReason;
  /** Positions in the group of the events at fault (empty when the group as a whole is). */
  readonly eventIndexes: number[];
  constructor({
    reason,
    explanation,
    eventIndexes = [],
  }: {
    reason: InvalidEventGroupReason;
    /** What is wrong and what to do, in a sentence. */
    explanation: string;
    eventIndexes?: number[];
  }) {
    super(`Invalid event group (${reason}): ${explanation}`);
    this.reason = reason;
    this.eventIndexes = eventIndexes;
  }
}
export const isInvalidEventGroupError = errorGuard<InvalidEventGroupError>(
  invalidEventGroupErrorCode,
);

export const eventGroupCancelledErrorCode = 'EventGroupCancelled';
export interface EventGroupCancellationReason {
  eventIndex: number;
  eventStoreId: string;
  aggregateId: string;
  version: number;
  /** DynamoDB's cancellation code, e.g. TransactionConflict, ThrottlingError. */
  reasonCode: string;
  message?: string;
}

/**
 * The group's transaction was cancelled for a reason other than an existing event
 * (a conflicting concurrent transaction, throttling...). Nothing was written; retrying
 * the same group is safe.
 */
export class EventGroupCancelledError extends TypedError<typeof eventGroupCancelledErrorCode> {
  readonly code = eventGroupCancelledErrorCode;
  readonly reasons: EventGroupCancellationReason[];
  constructor({ reasons, cause }: { reasons: EventGroupCancellationReason[]; cause: unknown }) {
    const summary =
      reasons.map((r) => `#${r.eventIndex} ${r.reasonCode}`).join(', ') || 'no reason given';
    super(
      `Event group was cancelled by DynamoDB (${summary}); nothing was written, retry the group.`,
      { cause },
    );
    this.reasons = reasons;
  }
}
export const isEventGroupCancelledError = errorGuard<EventGroupCancelledError>(
  eventGroupCancelledErrorCode,
);

export const invalidPageTokenErrorCode = 'InvalidPageToken';
export class InvalidPageTokenError extends TypedError<typeof invalidPageTokenErrorCode> {
  readonly code = invalidPageTokenErrorCode;
  readonly pageToken: unknown;
  readonly reason: string;
  constructor({ pageToken, reason }: { pageToken: unknown; reason: string }) {
    super(
      `Invalid page token ${describeValue(pageToken)}: ${reason}. ` +
        'Pass back the nextPageToken of a listAggregateIds call on the same event store, unchanged.',
    );
    this.pageToken = pageToken;
    this.reason = reason;
  }
}
export const isInvalidPageTokenError = errorGuard<InvalidPageTokenError>(invalidPageTokenErrorCode);
