import { describeValue } from './describeValue.js';

/* Every error this library throws, by code: what it carries and what its message says (what
 * was wrong and what to do). Castore's EventAlreadyExists keeps Castore's own class. */

const causeText = (cause: unknown): string =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
const causeMessage = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

/** An argument or option that is not what it must be: `option` (or `field`) names it. */
interface Invalid {
  value: unknown;
  expected: string;
}

export type InvalidEventGroupReason =
  | 'EmptyGroup'
  | 'TooManyEvents'
  | 'ForeignAdapter'
  | 'MissingContext'
  | 'DifferentDynamoDBClients'
  | 'DuplicateEventKey'
  | 'DifferentTimestamps';

export interface EventGroupCancellationReason {
  eventIndex: number;
  eventStoreId: string;
  aggregateId: string;
  version: number;
  /** DynamoDB's cancellation code, e.g. TransactionConflict, ThrottlingError. */
  reasonCode: string;
  message?: string;
}

export type IncrementField = 'key' | 'by' | 'targetRef' | 'timestamp' | 'filter' | 'target';
export type DynamoDBLocalStartFailure =
  'JavaMissing' | 'PackageMissing' | 'PortTaken' | 'ExitedEarly' | 'NotReady';

/** What each code's error carries (its fields, `cause` apart). */
export interface CounterErrorFields {
  // Arguments and options: the caller's mistake, nothing read or written.
  InvalidOption: Invalid & { option: string };
  InvalidQueryOption: Invalid & { option: string };
  InvalidCountQuery: Invalid & { option: string };
  InvalidEvent: Invalid & { field: string };
  InvalidCounterDefinition: Invalid & { counterName: unknown; field: string };
  InvalidIncrement: Invalid & {
    counterName: string;
    field: IncrementField;
    /** The stream record being counted; absent for a direct increment. */
    sequenceNumber?: string | undefined;
  };
  InvalidEventStoreId: { eventStoreId: unknown };
  InvalidEventGroup: {
    reason: InvalidEventGroupReason;
    /** What is wrong and what to do, in a sentence. */
    explanation: string;
    /** Positions in the group of the events at fault (empty, the default, when the group as a whole is). */
    eventIndexes?: number[];
  };
  InvalidPageToken: { pageToken: unknown; reason: string };
  UnknownCounter: { counterName: unknown; knownCounters: string[] };
  // Data that is not what it must be.
  InvalidStreamRecord: Invalid & {
    /** The record's SequenceNumber, when it has one (images parsed alone have none). */
    sequenceNumber: string | undefined;
    field: string;
  };
  InvalidCountsRecord: { value: unknown; reason: string };
  InvalidDeadLetter: { value: unknown; reason: string };
  TableMismatch: {
    tableName: string;
    differences: string[];
    /** What fixes each difference, data kept: UpdateTable in place, or another table for other keys. */
    fixes: string[];
  };
  StreamNotFound: { tableName: string };
  TableNotFound: { tableName: string };
  CountTooLarge: { itemKey: string; count: string };
  CounterShardsChanged: { counterName: string; key: string; refShards: number };
  // Conflicts.
  PreviousVersionMissing: {
    eventStoreId: string;
    aggregateId: string;
    version: number;
    missingVersion: number;
    /** The event's position in its group, for a group. */
    eventIndex?: number | undefined;
  };
  EventGroupCancelled: { reasons: EventGroupCancellationReason[] };
  // Gave up: retries, outages, a record that keeps failing.
  CountWriteFailed: { attempts: number };
  CountReadFailed: { attempts: number; unprocessedKeys: number };
  RecordsNotHandled: {
    sequenceNumber: string;
    /** How many records the batch held. */
    records: number;
    /** What the handler failed to do: `counted` (the default: the projection) or `reacted to` (reactions). */
    handled?: string;
  };
  ReactionFailed: { idempotencyKey: string };
  UndeliverableRecords: { shardId: string; sequenceNumbers: string[] };
  StreamUnreachable: { tableName: string; outageMs: number };
  ReplayIncomplete: {
    shardId: string;
    reason: 'StreamUnreachable' | 'EndNotReached' | 'BatchMismatch';
    detail: string;
  };
  DynamoDBLocalStart: { failure: DynamoDBLocalStartFailure; explanation: string };
}

export type CounterErrorCode = keyof CounterErrorFields;

type Messages = {
  [CODE in CounterErrorCode]: (fields: CounterErrorFields[CODE], cause: unknown) => string;
};

export const errorMessages: Messages = {
  InvalidOption: ({ option, value, expected }) =>
    `Invalid option ${option}: ${describeValue(value)}, expected ${expected}. Nothing was read or written; fix the option.`,
  InvalidQueryOption: ({ option, value, expected }) =>
    `Invalid option ${option} ${describeValue(value)}: expected ${expected}.`,
  InvalidCountQuery: ({ option, value, expected }) =>
    `Invalid ${option} ${describeValue(value)}: expected ${expected}. Fix the argument.`,
  InvalidEvent: ({ field, value, expected }) =>
    `Invalid event ${field} ${describeValue(value)}: expected ${expected}.`,
  InvalidCounterDefinition: ({ counterName, field, value, expected }) =>
    `Invalid counter ${describeValue(counterName)}: ${field} ${describeValue(value)}, expected ${expected}.`,
  InvalidIncrement: ({ counterName, field, value, expected, sequenceNumber }) => {
    const where = sequenceNumber === undefined ? '' : ` for stream record ${sequenceNumber}`;
    const then =
      sequenceNumber === undefined
        ? 'fix the call'
        : 'fix the counter definition (or the event) and let the record be retried';
    return `Counter ${counterName}${where}: ${field} ${describeValue(value)}, expected ${expected}. Nothing was counted; ${then}.`;
  },
  InvalidEventStoreId: ({ eventStoreId }) =>
    `Invalid eventStoreId ${describeValue(eventStoreId)}: it must be a non-empty, well-formed string without '#', ` +
    "because '#' separates the event store from the aggregate id in the table's partition key.",
  InvalidEventGroup: ({ reason, explanation }) => `Invalid event group (${reason}): ${explanation}`,
  InvalidPageToken: ({ pageToken, reason }) =>
    `Invalid page token ${describeValue(pageToken)}: ${reason}. ` +
    'Pass back the nextPageToken of a listAggregateIds call on the same event store, unchanged.',
  UnknownCounter: ({ counterName, knownCounters }) =>
    `Unknown counter ${describeValue(counterName)}: this projection defines ${knownCounters.join(', ') || 'no counters'}. Use one of their names.`,
  InvalidStreamRecord: ({ sequenceNumber, field, value, expected }) =>
    `${sequenceNumber === undefined ? 'Stream image' : `Stream record ${sequenceNumber}`}: invalid ${field} ${describeValue(value)}, expected ${expected}. ` +
    'Only INSERT images of events written by the Castore DynamoDB adapter can be parsed; ' +
    'check that the table, its stream (NEW_IMAGE or NEW_AND_OLD_IMAGES) and sourceEventStores match.',
  InvalidCountsRecord: ({ value, reason }) =>
    `Not a counts table record reactions can read (${reason}): ${describeValue(value)}. ` +
    "Give the reactions handler the counts table's stream, with NEW_AND_OLD_IMAGES.",
  InvalidDeadLetter: ({ value, reason }) =>
    `Not a dead-lettered batch (${reason}): ${describeValue(value)}. Give the body of a message of the ` +
    "mapping's on-failure queue (its DDBStreamBatchInfo), or what the stream runner gave onFailure.",
  TableMismatch: ({ tableName, differences, fixes }) =>
    `Table ${tableName} exists but ${differences.join('; ')}: it is not a table this library can use as it is. ` +
    `To fix: ${fixes.join('; ')}.`,
  TableNotFound: ({ tableName }) =>
    `Table ${describeValue(tableName)} was not found: check the name (an environment variable that was not set?), ` +
    "the client's region and endpoint, and that the table was created (createEventTable, or the CDK construct).",
  StreamNotFound: ({ tableName }) =>
    `Table ${tableName} has no stream: enable one with a NEW_IMAGE view (eventTableDefinition does).`,
  CountTooLarge: ({ itemKey, count }) =>
    `The count of ${itemKey} is ${count}, beyond 2^53: as a number it would be rounded. Read it with getExactCount, which returns a bigint.`,
  CounterShardsChanged: ({ counterName, key, refShards }) =>
    `Counter ${counterName} (key ${describeValue(key)}) was counted with another refShards than ${refShards}: ` +
    'changing refShards would count replayed events twice. Restore the previous value or rebuild the counts table.',
  PreviousVersionMissing: ({ eventStoreId, aggregateId, version, missingVersion, eventIndex }) =>
    `Version ${version} of ${eventStoreId} aggregate ${aggregateId}${eventIndex === undefined ? '' : ` (group event #${eventIndex})`} was refused: version ${missingVersion} does not exist, ` +
    'and the adapter requires contiguous versions. Nothing was written: read the aggregate again and push the version after its last one.',
  EventGroupCancelled: ({ reasons }) =>
    `Event group was cancelled by DynamoDB (${reasons.map((r) => `#${r.eventIndex} ${r.reasonCode}`).join(', ') || 'no reason given'}); nothing was written, retry the group.`,
  CountWriteFailed: ({ attempts }, cause) =>
    `Count transaction failed after ${attempts} attempt(s): ${causeText(cause)}. ` +
    'Nothing of it was written: records of a stream are reported as failed and delivered again; a direct increment() can simply be called again.',
  CountReadFailed: ({ attempts, unprocessedKeys }) =>
    `DynamoDB left ${unprocessedKeys} key(s) unprocessed after ${attempts} attempts (throttling): retry the read later, or raise the retry budget.`,
  RecordsNotHandled: ({ sequenceNumber, records, handled = 'counted' }, cause) =>
    `Record ${sequenceNumber} (of a batch of ${records}) was not ${handled}: ${causeMessage(cause)} ` +
    'The batch is failed as a whole so that Lambda retries it. With ReportBatchItemFailures on the event source mapping, ' +
    'set reportBatchItemFailures: true (or CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES=true) to retry from this record only.',
  ReactionFailed: ({ idempotencyKey }, cause) =>
    `The reaction to ${idempotencyKey} failed: ${causeMessage(cause)}. ` +
    'It is retried with the record; once it succeeds, it is not fired again.',
  UndeliverableRecords: ({ shardId, sequenceNumbers }) =>
    `Records ${sequenceNumbers.join(', ')} of shard ${shardId} still fail after every retry, and no onFailure ` +
    'callback was given to take them: the runner stopped rather than skip them. Fix the cause, or pass onFailure (a dead letter).',
  StreamUnreachable: ({ tableName, outageMs }, cause) =>
    `The stream of ${tableName} could not be read for ${outageMs} ms (${causeText(cause)}). ` +
    'Check the endpoints and credentials of both clients: with DynamoDB Local, give each its endpoint ' +
    '(or set AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_DYNAMODB_STREAMS). The checkpoints are intact; run again.',
  ReplayIncomplete: ({ shardId, reason, detail }) =>
    `The dead letter of shard ${shardId} could not be replayed whole (${reason}): ${detail}. ` +
    'Keep the message (nothing was deleted) and replay it again once fixed.',
  DynamoDBLocalStart: ({ explanation }) => explanation,
};

/** Fields a code's error always has, when its thrower leaves them out. */
export const errorDefaults: { [CODE in CounterErrorCode]?: Partial<CounterErrorFields[CODE]> } = {
  InvalidEventGroup: { eventIndexes: [] },
  RecordsNotHandled: { handled: 'counted' },
};
