import { describeValue, TypedError } from '../shared/typedError.js';

export const invalidCounterDefinitionErrorCode = 'InvalidCounterDefinition';
/** Thrown when a projection or counter is built: a definition that could never count right. */
export class InvalidCounterDefinitionError extends TypedError<
  typeof invalidCounterDefinitionErrorCode
> {
  readonly code = invalidCounterDefinitionErrorCode;
  constructor(
    readonly counterName: unknown,
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(
      `Invalid counter ${describeValue(counterName)}: ${field} ${describeValue(value)}, expected ${expected}.`,
    );
  }
}

export const invalidIncrementErrorCode = 'InvalidIncrement';
/** A counter's key, by or targetRef function returned something that cannot be counted. */
export class InvalidIncrementError extends TypedError<typeof invalidIncrementErrorCode> {
  readonly code = invalidIncrementErrorCode;
  constructor(
    readonly details: {
      counterName: string;
      field: 'key' | 'by' | 'targetRef' | 'timestamp' | 'filter' | 'key, by or targetRef';
      value: unknown;
      expected: string;
      sequenceNumber?: string;
    },
  ) {
    const where =
      details.sequenceNumber === undefined ? '' : ` for stream record ${details.sequenceNumber}`;
    const then =
      details.sequenceNumber === undefined
        ? 'fix the call'
        : 'fix the counter definition (or the event) and let the record be retried';
    super(
      `Counter ${details.counterName}${where}: ${details.field} ${describeValue(details.value)}, expected ${details.expected}. Nothing was counted; ${then}.`,
    );
  }
}

export const unknownCounterErrorCode = 'UnknownCounter';
export class UnknownCounterError extends TypedError<typeof unknownCounterErrorCode> {
  readonly code = unknownCounterErrorCode;
  constructor(
    readonly counterName: unknown,
    known: string[],
  ) {
    super(
      `Unknown counter ${describeValue(counterName)}: this projection defines ${known.join(', ') || 'no counters'}.`,
    );
  }
}

export const counterShardsChangedErrorCode = 'CounterShardsChanged';
/**
 * The counter was counted with another refShards setting: refs would land in other
 * partitions and replays would be counted twice. Restore the setting, or rebuild the counts.
 */
export class CounterShardsChangedError extends TypedError<typeof counterShardsChangedErrorCode> {
  readonly code = counterShardsChangedErrorCode;
  constructor(
    readonly counterName: string,
    readonly key: string,
    readonly refShards: number,
  ) {
    super(
      `Counter ${counterName} (key ${describeValue(key)}) was counted with another refShards than ${refShards}: ` +
        'changing refShards would count replayed events twice. Restore the previous value or rebuild the counts table.',
    );
  }
}

export const countWriteFailedErrorCode = 'CountWriteFailed';
/** DynamoDB kept refusing a count transaction (throttling, conflicts) past the retry budget. Nothing of it was written. */
export class CountWriteFailedError extends TypedError<typeof countWriteFailedErrorCode> {
  readonly code = countWriteFailedErrorCode;
  constructor(
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(
      `Count transaction failed after ${attempts} attempt(s): ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}. ` +
        'Nothing of it was written; the records are reported as failed so that they are delivered again.',
    );
  }
}

export const invalidCountQueryErrorCode = 'InvalidCountQuery';
export class InvalidCountQueryError extends TypedError<typeof invalidCountQueryErrorCode> {
  readonly code = invalidCountQueryErrorCode;
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid ${option} ${describeValue(value)}: expected ${expected}.`);
  }
}

export const countTooLargeErrorCode = 'CountTooLarge';
/** A stored count beyond JavaScript's safe integers: a number would round it. */
export class CountTooLargeError extends TypedError<typeof countTooLargeErrorCode> {
  readonly code = countTooLargeErrorCode;
  constructor(
    readonly itemKey: string,
    readonly count: string,
  ) {
    super(
      `The count of ${itemKey} is ${count}, beyond 2^53: as a number it would be rounded. Read it with getExactCount, which returns a bigint.`,
    );
  }
}

export const countReadFailedErrorCode = 'CountReadFailed';
/** DynamoDB kept leaving keys unprocessed (throttling) past the retry budget: a read failure, not the caller's mistake. */
export class CountReadFailedError extends TypedError<typeof countReadFailedErrorCode> {
  readonly code = countReadFailedErrorCode;
  constructor(
    readonly attempts: number,
    readonly unprocessedKeys: number,
  ) {
    super(
      `DynamoDB left ${unprocessedKeys} key(s) unprocessed after ${attempts} attempts (throttling): retry the read later, or raise the retry budget.`,
    );
  }
}

export const recordsNotCountedErrorCode = 'RecordsNotCounted';
/**
 * Thrown by the Lambda handler when a record could not be counted and the deployment has
 * not declared ReportBatchItemFailures: Lambda then retries the batch (whose counted
 * records are duplicates the second time) instead of dropping the failed records.
 */
export class RecordsNotCountedError extends TypedError<typeof recordsNotCountedErrorCode> {
  readonly code = recordsNotCountedErrorCode;
  constructor(
    readonly sequenceNumber: string,
    readonly records: number,
    override readonly cause: unknown,
  ) {
    super(
      `Record ${sequenceNumber} (of a batch of ${records}) was not counted: ${cause instanceof Error ? cause.message : String(cause)} ` +
        'The batch is failed as a whole so that Lambda retries it. With ReportBatchItemFailures on the event source mapping, ' +
        'set reportBatchItemFailures: true (or CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES=true) to retry from this record only.',
    );
  }
}
