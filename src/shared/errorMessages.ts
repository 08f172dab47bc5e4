import { describeValue, stillFailing } from './describeValue.js';
import type { CounterErrorCode, CounterErrorFields } from './errorCatalogue.js';

/* Each code's message, from its fields: what was wrong, and what to do. */

const causeText = (cause: unknown): string =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
const causeMessage = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

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
        : 'fix the counter definition (or the event): a failed record is then counted when retried, one set aside by count-set-aside';
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
    `Not a counts item as the projection writes it (${reason}): ${describeValue(value)}. ` +
    "Give the reactions handler the counts table's stream, with NEW_AND_OLD_IMAGES; counts items " +
    'are written only by the projection and setTarget: check what else writes to the counts table.',
  InvalidDeadLetter: ({ value, reason }) =>
    `Not a dead-lettered batch (${reason}): ${describeValue(value)}. Give the body of a message of the ` +
    "mapping's on-failure queue (its DDBStreamBatchInfo), an object of its S3 on-failure destination, " +
    'or what the stream runner gave onFailure.',
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
    `Counter ${counterName} (key ${describeValue(key)}) was counted with another refShards than ${refShards}, or another idempotency: ` +
    'changing either would count replayed events twice. Restore the previous definition, or count under a new counter name.',
  WatermarkRefused: ({ counterName, setting, detail }) =>
    `Counter ${counterName} counts with idempotency 'shardWatermark', which cannot stay exact here (${setting}): ${detail} ` +
    "Nothing was counted. Count it through the stream runner, or define the counter with idempotency 'refs' (the default), which is exact everywhere.",
  RecordInDoubt: ({ shardId, sequenceNumber, decidedAt, cause }) =>
    `Record ${sequenceNumber} of shard ${shardId} fails now (${cause}), but an earlier delivery, claimed at ${decidedAt}, decided to count it and may have: ` +
    'it is neither set aside nor counted again while that delivery may still be finishing. It is retried; once the earlier delivery is known to have finished, it is skipped as counted. ' +
    'If that delivery stopped half-way, after 10 minutes the shardWatermark counters are marked not exact and the record is set aside. Fix the counters module so that it counts this record to avoid that.',
  CounterNotExact: ({ counterName, reason, since }) =>
    `Counter ${counterName} may have missed records since ${since}: ${reason}. Its counts are refused rather than read wrong. ` +
    'Rebuild it into a fresh counts table (`rebuild`, the CLI `rebuild`) and switch the projection to that table once rebuilt: the fresh table counts every event once.',
  EventAlreadyExistsError: ({ eventStoreId, aggregateId, version }) =>
    `Event already exists for ${eventStoreId} aggregate ${aggregateId} and version ${version}: ` +
    'read the aggregate again and push the next version (or pass force to overwrite).',
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
  UndeliverableRecords: ({ shardId, sequenceNumbers }, cause) =>
    `${stillFailing(sequenceNumbers, shardId)} after every retry` +
    `${cause === undefined ? '' : ` (the last attempt: ${causeText(cause)})`}, and no onFailure ` +
    'callback was given to take them: the runner stopped rather than skip them. Fix the cause, or pass onFailure (a dead letter).',
  StreamUnreachable: ({ tableName, outageMs }, cause) =>
    `The stream of ${tableName} could not be read for ${outageMs} ms (${causeText(cause)}). ` +
    'Check the endpoints and credentials of both clients: with DynamoDB Local, give each its endpoint ' +
    '(or set AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_DYNAMODB_STREAMS). The checkpoints are intact; run again.',
  ReplayIncomplete: ({ shardId, reason, detail }) =>
    `The dead letter of shard ${shardId} could not be replayed whole (${reason}): ${detail}. ` +
    'Keep the message (nothing was deleted) and replay it again once fixed.',
  DynamoDBLocalStart: ({ explanation }) => explanation,
  CliUsage: ({ explanation }) => explanation,
};

/** Fields a code's error always has, when its thrower leaves them out. */
export const errorDefaults: { [CODE in CounterErrorCode]?: Partial<CounterErrorFields[CODE]> } = {
  InvalidEventGroup: { eventIndexes: [] },
  RecordsNotHandled: { handled: 'counted' },
};
