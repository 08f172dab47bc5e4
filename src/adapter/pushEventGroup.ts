import {
  type CancellationReason,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';

import { isAwsError } from '../shared/retry.js';
import { DynamoDBEventAlreadyExistsError, EventGroupCancelledError } from './errors.js';
import { isItemTooLarge, itemTooLargeError } from './itemTooLarge.js';
import type { ParsedGroupEvent } from './parseEventGroup.js';
import { toPutEventInput } from './pushEvent.js';

/** Writes a parsed group in one transaction: all events or none. */
export const pushEventGroup = async (
  events: ParsedGroupEvent[],
  { force = false }: { force?: boolean },
): Promise<{ eventGroup: { event: EventDetail }[] }> => {
  const [first] = events;
  if (first === undefined) return { eventGroup: [] };
  const transactItems = events.map(({ event, eventStoreId, tableName }) => ({
    Put: toPutEventInput(event, { tableName, eventStoreId, force }),
  }));
  try {
    await first.dynamoDBClient.send(
      new TransactWriteItemsCommand({ TransactItems: transactItems }),
    );
  } catch (error) {
    const reasons = isTransactionCanceled(error) ? (error.CancellationReasons ?? []) : [];
    if (isItemTooLarge(error, reasons)) {
      throw itemTooLargeError(
        events.map(({ eventStoreId, event }, index) => ({
          item: transactItems[index]?.Put.Item ?? {},
          label: `group event #${index} (${eventStoreId} aggregate ${event.aggregateId} version ${event.version})`,
        })),
      );
    }
    throw toGroupError(error, events);
  }
  return { eventGroup: events.map(({ event }) => ({ event })) };
};

const toGroupError = (error: unknown, events: ParsedGroupEvent[]): unknown => {
  if (!isTransactionCanceled(error)) return error;
  const reasons: CancellationReason[] = error.CancellationReasons ?? [];
  // DynamoDB gives one reason per action, in request order: the index names the event.
  const existingIndex = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
  const existing = events[existingIndex];
  if (existing !== undefined) {
    return new DynamoDBEventAlreadyExistsError({
      eventStoreId: existing.eventStoreId,
      aggregateId: existing.event.aggregateId,
      version: existing.event.version,
    });
  }
  const failures = reasons.flatMap((reason, eventIndex) => {
    const failed = events[eventIndex];
    if (failed === undefined || reason.Code === undefined || reason.Code === 'None') return [];
    return [
      {
        eventIndex,
        eventStoreId: failed.eventStoreId,
        aggregateId: failed.event.aggregateId,
        version: failed.event.version,
        reasonCode: reason.Code,
        ...(reason.Message !== undefined ? { message: reason.Message } : {}),
      },
    ];
  });
  return new EventGroupCancelledError({ reasons: failures, cause: error });
};

const isTransactionCanceled = (error: unknown): error is TransactionCanceledException =>
  isAwsError(error, 'TransactionCanceledException');
