import { describeValue, TypedError } from '../shared/typedError.js';

export const invalidCounterDefinitionErrorCode = 'InvalidCounterDefinition';
/** Thrown when a projection or counter is built: a definition that could never count right. */
export class InvalidCounterDefinitionError extends TypedError<typeof invalidCounterDefinitionErrorCode> {
  readonly code = invalidCounterDefinitionErrorCode;
  constructor(
    readonly counterName: unknown,
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid counter ${describeValue(counterName)}: ${field} ${describeValue(value)}, expected ${expected}.`);
  }
}

export const invalidIncrementErrorCode = 'InvalidIncrement';
/** A counter's key, by or targetRef function returned something that cannot be counted. */
export class InvalidIncrementError extends TypedError<typeof invalidIncrementErrorCode> {
  readonly code = invalidIncrementErrorCode;
  constructor(
    readonly details: { counterName: string; field: 'key' | 'by' | 'targetRef' | 'timestamp'; value: unknown; expected: string; sequenceNumber?: string },
  ) {
    const where = details.sequenceNumber === undefined ? '' : ` for stream record ${details.sequenceNumber}`;
    super(
      `Counter ${details.counterName}${where}: ${details.field} ${describeValue(details.value)}, expected ${details.expected}. ` +
        'Nothing was counted; fix the counter definition (or the event) and let the record be retried.',
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
    super(`Unknown counter ${describeValue(counterName)}: this projection defines ${known.join(', ') || 'no counters'}.`);
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
