import {
  type CancellationReason,
  type DynamoDBClient,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';

import {
  CounterError,
  DEFAULT_RETRY_OPTIONS,
  isAwsError,
  isRetryable,
  withRetry,
} from '../shared/index.js';
import { eventAlreadyExists } from './errors.js';
import { buildGroupTransaction, type GroupAction } from './groupTransaction.js';
import { isItemTooLarge, itemTooLargeError } from './itemTooLarge.js';
import type { ParsedGroupEvent } from './parseEventGroup.js';
import { withTableName } from './tableErrors.js';

/**
 * Writes a parsed group in one transaction: all events or none. `single`: a lone event
 * pushed as a transaction (requireContiguousVersions), whose errors name no group index.
 */
export const pushEventGroup = async (
  events: ParsedGroupEvent[],
  { force = false, single = false }: { force?: boolean; single?: boolean },
): Promise<{ eventGroup: { event: EventDetail }[] }> => {
  const [first] = events;
  if (first === undefined) return { eventGroup: [] };
  const { items, actions } = buildGroupTransaction(events, { force });
  try {
    await sendTransaction(first.dynamoDBClient, items, { retryConflicts: single });
  } catch (error) {
    const reasons = isTransactionCanceled(error) ? (error.CancellationReasons ?? []) : [];
    if (isItemTooLarge(error, reasons)) {
      throw itemTooLargeError(
        events.map(({ eventStoreId, event }, index) => ({
          item: items[index]?.Put?.Item ?? {},
          label: `${single ? '' : `group event #${index} (`}${eventStoreId} aggregate ${event.aggregateId} version ${event.version}${single ? '' : ')'}`,
        })),
      );
    }
    if (isAwsError(error, 'ResourceNotFoundException'))
      withTableName([...new Set(events.map(({ tableName }) => tableName))].join(' or '))(error);
    throw toGroupError({ error, events, actions, single });
  }
  return { eventGroup: events.map(({ event }) => ({ event })) };
};

/**
 * A lone event pushed as a transaction meets conflicts a plain Put never sees (another
 * transaction on its item or on the previous version in flight): those are retried with
 * backoff, so that, as with a Put, only EventAlreadyExists or a missing previous version
 * reach the caller. Safe: a cancelled transaction wrote nothing. Groups keep the
 * reference's behaviour: a conflict cancels them.
 */
const sendTransaction = async (
  client: DynamoDBClient,
  items: TransactWriteItem[],
  { retryConflicts }: { retryConflicts: boolean },
): Promise<void> => {
  await withRetry(() => client.send(new TransactWriteItemsCommand({ TransactItems: items })), {
    ...DEFAULT_RETRY_OPTIONS,
    isRetryable: (error) => retryConflicts && isConflictOnly(error),
  });
};

/** Cancelled only by conflicts or throttling, no condition failed: another attempt may pass. */
const isConflictOnly = (error: unknown): boolean => {
  if (!isTransactionCanceled(error)) return false;
  const codes = (error.CancellationReasons ?? [])
    .map(({ Code }) => Code)
    .filter((code) => code !== undefined && code !== 'None');
  return codes.length > 0 && codes.every((code) => isRetryable(code));
};

/**
 * DynamoDB gives one reason per action, in request order: the action names the event. An
 * existing event is reported before a missing previous one (its retry reads the aggregate).
 */
const toGroupError = ({
  error,
  events,
  actions,
  single,
}: {
  error: unknown;
  events: ParsedGroupEvent[];
  actions: GroupAction[];
  single: boolean;
}): unknown => {
  if (!isTransactionCanceled(error)) return error;
  const reasons: CancellationReason[] = error.CancellationReasons ?? [];
  const failedCondition = (kind: GroupAction['kind']) =>
    actions.find(
      (action, index) => action.kind === kind && reasons[index]?.Code === 'ConditionalCheckFailed',
    );
  const existing = failedCondition('put');
  const hole = failedCondition('previousVersionCheck');
  const atFault = existing ?? hole;
  const parsed = atFault === undefined ? undefined : events[atFault.eventIndex];
  if (atFault !== undefined && parsed !== undefined) {
    const fields = {
      eventStoreId: parsed.eventStoreId,
      aggregateId: parsed.event.aggregateId,
      version: parsed.event.version,
    };
    return atFault === existing
      ? eventAlreadyExists(fields)
      : new CounterError('PreviousVersionMissing', {
          ...fields,
          missingVersion: fields.version - 1,
          eventIndex: single ? undefined : atFault.eventIndex,
        });
  }
  return new CounterError('EventGroupCancelled', {
    reasons: cancellationsOf(reasons, events, actions),
    cause: error,
  });
};

const cancellationsOf = (
  reasons: CancellationReason[],
  events: ParsedGroupEvent[],
  actions: GroupAction[],
) =>
  reasons.flatMap((reason, index) => {
    const eventIndex = actions[index]?.eventIndex;
    const failed = eventIndex === undefined ? undefined : events[eventIndex];
    if (failed === undefined || eventIndex === undefined) return [];
    if (reason.Code === undefined || reason.Code === 'None') return [];
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

const isTransactionCanceled = (error: unknown): error is TransactionCanceledException =>
  isAwsError(error, 'TransactionCanceledException');
