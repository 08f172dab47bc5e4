import { errorGuard, TypedError } from '../shared/typedError.js';

export const streamNotFoundErrorCode = 'StreamNotFound';
export class StreamNotFoundError extends TypedError<typeof streamNotFoundErrorCode> {
  readonly code = streamNotFoundErrorCode;
  readonly tableName: string;
  constructor({ tableName }: { tableName: string }) {
    super(
      `Table ${tableName} has no stream: enable one with a NEW_IMAGE view (eventTableDefinition does).`,
    );
    this.tableName = tableName;
  }
}
export const isStreamNotFoundError = errorGuard<StreamNotFoundError>(streamNotFoundErrorCode);

export const undeliverableRecordsErrorCode = 'UndeliverableRecords';
/**
 * Records kept failing past the retry budget and no onFailure callback was given to take
 * them: the runner stops instead of skipping them.
 */
export class UndeliverableRecordsError extends TypedError<typeof undeliverableRecordsErrorCode> {
  readonly code = undeliverableRecordsErrorCode;
  readonly shardId: string;
  readonly sequenceNumbers: string[];
  constructor({
    shardId,
    sequenceNumbers,
    cause,
  }: {
    shardId: string;
    sequenceNumbers: string[];
    cause: unknown;
  }) {
    super(
      `Records ${sequenceNumbers.join(', ')} of shard ${shardId} still fail after every retry, and no onFailure ` +
        'callback was given to take them: the runner stopped rather than skip them. Fix the cause, or pass onFailure (a dead letter).',
      { cause },
    );
    this.shardId = shardId;
    this.sequenceNumbers = sequenceNumbers;
  }
}
export const isUndeliverableRecordsError = errorGuard<UndeliverableRecordsError>(
  undeliverableRecordsErrorCode,
);

export const streamUnreachableErrorCode = 'StreamUnreachable';
/** DynamoDB or its stream stayed unreachable longer than maximumOutageMs. Nothing was skipped. */
export class StreamUnreachableError extends TypedError<typeof streamUnreachableErrorCode> {
  readonly code = streamUnreachableErrorCode;
  readonly tableName: string;
  readonly outageMs: number;
  constructor({
    tableName,
    outageMs,
    cause,
  }: {
    tableName: string;
    outageMs: number;
    cause: unknown;
  }) {
    super(
      `The stream of ${tableName} could not be read for ${outageMs} ms (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}). ` +
        'Check the endpoints and credentials of both clients: with DynamoDB Local, give each its endpoint ' +
        '(or set AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_DYNAMODB_STREAMS). The checkpoints are intact; run again.',
      { cause },
    );
    this.tableName = tableName;
    this.outageMs = outageMs;
  }
}
export const isStreamUnreachableError = errorGuard<StreamUnreachableError>(
  streamUnreachableErrorCode,
);

export const replayIncompleteErrorCode = 'ReplayIncomplete';
/**
 * A dead letter's records could not all be accounted for: the stream was not reached, the
 * read ran out before the batch's last record, or the records found do not agree with the
 * message. Nothing is reported as replayed: keep the message and replay it again.
 */
export class ReplayIncompleteError extends TypedError<typeof replayIncompleteErrorCode> {
  readonly code = replayIncompleteErrorCode;
  readonly shardId: string;
  readonly reason: 'StreamUnreachable' | 'EndNotReached' | 'BatchMismatch';
  constructor({
    shardId,
    reason,
    detail,
  }: {
    shardId: string;
    reason: ReplayIncompleteError['reason'];
    detail: string;
  }) {
    super(
      `The dead letter of shard ${shardId} could not be replayed whole (${reason}): ${detail}. ` +
        'Keep the message (nothing was deleted) and replay it again once fixed.',
    );
    this.shardId = shardId;
    this.reason = reason;
  }
}
export const isReplayIncompleteError = errorGuard<ReplayIncompleteError>(replayIncompleteErrorCode);
