import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';

import { CounterError } from '../shared/index.js';
import { EVENT_TABLE_PK, EVENT_TABLE_SK, MAX_TRANSACTION_ACTIONS } from './constants.js';
import { toPartitionKey } from './keys.js';
import type { ParsedGroupEvent } from './parseEventGroup.js';
import { toPutEventInput } from './putEventInput.js';

/** What one action of a group's transaction stands for (CancellationReasons come in this order). */
export interface GroupAction {
  kind: 'put' | 'previousVersionCheck';
  eventIndex: number;
}

/**
 * The group's TransactWriteItems: one conditional Put per event and, for the events of an
 * adapter with requireContiguousVersions, a ConditionCheck that the previous version
 * exists, unless that version is itself in the group (then its Put decides). Pure: tested
 * offline. Throws InvalidEventGroupError past DynamoDB's 100 actions, checks counted.
 */
export const buildGroupTransaction = (
  events: ParsedGroupEvent[],
  { force }: { force: boolean },
): { items: TransactWriteItem[]; actions: GroupAction[] } => {
  const inGroup = new Set(events.map((parsed) => keyOf(parsed)));
  const items: TransactWriteItem[] = [];
  const actions: GroupAction[] = [];
  events.forEach(({ event, eventStoreId, tableName }, eventIndex) => {
    items.push({ Put: toPutEventInput(event, { tableName, eventStoreId, force }) });
    actions.push({ kind: 'put', eventIndex });
  });
  events.forEach((parsed, eventIndex) => {
    if (!needsPreviousVersionCheck(parsed, inGroup)) return;
    items.push({ ConditionCheck: previousVersionCheck(parsed) });
    actions.push({ kind: 'previousVersionCheck', eventIndex });
  });
  if (items.length > MAX_TRANSACTION_ACTIONS) {
    throw new CounterError('InvalidEventGroup', {
      reason: 'TooManyEvents',
      explanation: `${events.length} events and ${items.length - events.length} previous-version checks (requireContiguousVersions) make ${items.length} actions, but one DynamoDB transaction takes at most ${MAX_TRANSACTION_ACTIONS}: split the group.`,
    });
  }
  return { items, actions };
};

const keyOf = ({ tableName, eventStoreId, event }: ParsedGroupEvent, version = event.version) =>
  JSON.stringify([tableName, eventStoreId, event.aggregateId, version]);

const needsPreviousVersionCheck = (parsed: ParsedGroupEvent, inGroup: Set<string>): boolean =>
  parsed.requireContiguousVersions &&
  parsed.event.version > 1 &&
  !inGroup.has(keyOf(parsed, parsed.event.version - 1));

/** Version N-1 of the aggregate must exist for version N to be written. */
const previousVersionCheck = ({ tableName, eventStoreId, event }: ParsedGroupEvent) => ({
  TableName: tableName,
  Key: {
    [EVENT_TABLE_PK]: { S: toPartitionKey(eventStoreId, event.aggregateId) },
    [EVENT_TABLE_SK]: { N: String(event.version - 1) },
  },
  ConditionExpression: 'attribute_exists(#version)',
  ExpressionAttributeNames: { '#version': EVENT_TABLE_SK },
});
