import { describeValue, errorGuard, TypedError } from '../shared/typedError.js';

const causeText = (cause: unknown): string =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);

export const invalidCounterDefinitionErrorCode = 'InvalidCounterDefinition';
/** Thrown when a projection or counter is built: a definition that could never count right. */
export class InvalidCounterDefinitionError extends TypedError<
  typeof invalidCounterDefinitionErrorCode
> {
  readonly code = invalidCounterDefinitionErrorCode;
  readonly counterName: unknown;
  readonly field: string;
  readonly value: unknown;
  readonly expected: string;
  constructor(fields: { counterName: unknown; field: string; value: unknown; expected: string }) {
    const { counterName, field, value, expected } = fields;
    super(
      `Invalid counter ${describeValue(counterName)}: ${field} ${describeValue(value)}, expected ${expected}.`,
    );
    this.counterName = counterName;
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}
export const isInvalidCounterDefinitionError = errorGuard<InvalidCounterDefinitionError>(
  invalidCounterDefinitionErrorCode,
);

export const invalidIncrementErrorCode = 'InvalidIncrement';
export type IncrementField = 'key' | 'by' | 'targetRef' | 'timestamp' | 'filter' | 'target';
/** A counter's filter, key, by or targetRef function threw or returned something that cannot be counted. */
export class InvalidIncrementError extends TypedError<typeof invalidIncrementErrorCode> {
  readonly code = invalidIncrementErrorCode;
  readonly counterName: string;
  readonly field: IncrementField;
  readonly value: unknown;
  readonly expected: string;
  /** The stream record being counted; absent for a direct increment. */
  readonly sequenceNumber: string | undefined;
  constructor(fields: {
    counterName: string;
    field: IncrementField;
    value: unknown;
    expected: string;
    sequenceNumber?: string | undefined;
  }) {
    const { counterName, field, value, expected, sequenceNumber } = fields;
    const where = sequenceNumber === undefined ? '' : ` for stream record ${sequenceNumber}`;
    const then =
      sequenceNumber === undefined
        ? 'fix the call'
        : 'fix the counter definition (or the event) and let the record be retried';
    super(
      `Counter ${counterName}${where}: ${field} ${describeValue(value)}, expected ${expected}. Nothing was counted; ${then}.`,
    );
    this.counterName = counterName;
    this.field = field;
    this.value = value;
    this.expected = expected;
    this.sequenceNumber = sequenceNumber;
  }
}
export const isInvalidIncrementError = errorGuard<InvalidIncrementError>(invalidIncrementErrorCode);

export const unknownCounterErrorCode = 'UnknownCounter';
export class UnknownCounterError extends TypedError<typeof unknownCounterErrorCode> {
  readonly code = unknownCounterErrorCode;
  readonly counterName: unknown;
  readonly knownCounters: string[];
  constructor({ counterName, knownCounters }: { counterName: unknown; knownCounters: string[] }) {
    super(
      `Unknown counter ${describeValue(counterName)}: this projection defines ${knownCounters.join(', ') || 'no counters'}. Use one of their names.`,
    );
    this.counterName = counterName;
    this.knownCounters = knownCounters;
  }
}
export const isUnknownCounterError = errorGuard<UnknownCounterError>(unknownCounterErrorCode);

export const counterShardsChangedErrorCode = 'CounterShardsChanged';
/**
 * The counter was counted with another refShards setting: refs would land in other
 * partitions and replays would be counted twice. Restore the setting, or rebuild the counts.
 */
export class CounterShardsChangedError extends TypedError<typeof counterShardsChangedErrorCode> {
  readonly code = counterShardsChangedErrorCode;
  readonly counterName: string;
  readonly key: string;
  readonly refShards: number;
  constructor({
    counterName,
    key,
    refShards,
  }: {
    counterName: string;
    key: string;
    refShards: number;
  }) {
    super(
      `Counter ${counterName} (key ${describeValue(key)}) was counted with another refShards than ${refShards}: ` +
        'changing refShards would count replayed events twice. Restore the previous value or rebuild the counts table.',
    );
    this.counterName = counterName;
    this.key = key;
    this.refShards = refShards;
  }
}
export const isCounterShardsChangedError = errorGuard<CounterShardsChangedError>(
  counterShardsChangedErrorCode,
);

export const countWriteFailedErrorCode = 'CountWriteFailed';
/** DynamoDB kept refusing a count transaction (throttling, conflicts) past the retry budget. Nothing of it was written. */
export class CountWriteFailedError extends TypedError<typeof countWriteFailedErrorCode> {
  readonly code = countWriteFailedErrorCode;
  readonly attempts: number;
  constructor({ attempts, cause }: { attempts: number; cause: unknown }) {
    super(
      `Count transaction failed after ${attempts} attempt(s): ${causeText(cause)}. ` +
        'Nothing of it was written: records of a stream are reported as failed and delivered again; a direct increment() can simply be called again.',
      { cause },
    );
    this.attempts = attempts;
  }
}
export const isCountWriteFailedError = errorGuard<CountWriteFailedError>(countWriteFailedErrorCode);

export const recordsNotCountedErrorCode = 'RecordsNotCounted';
/**
 * Thrown by the Lambda handler when a record could not be counted and the deployment has
 * not declared ReportBatchItemFailures: Lambda then retries the batch (whose counted
 * records are duplicates the second time) instead of dropping the failed records.
 */
export class RecordsNotCountedError extends TypedError<typeof recordsNotCountedErrorCode> {
  readonly code = recordsNotCountedErrorCode;
  readonly sequenceNumber: string;
  /** How many records the batch held. */
  readonly records: number;
  constructor(fields: {
    sequenceNumber: string;
    records: number;
    cause: unknown;
    /** What the handler failed to do: `counted` (the projection) or `reacted to` (reactions). */
    handled?: string;
  }) {
    const { sequenceNumber, records, cause, handled = 'counted' } = fields;
    super(
      `Record ${sequenceNumber} (of a batch of ${records}) was not ${handled}: ${cause instanceof Error ? cause.message : String(cause)} ` +
        'The batch is failed as a whole so that Lambda retries it. With ReportBatchItemFailures on the event source mapping, ' +
        'set reportBatchItemFailures: true (or CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES=true) to retry from this record only.',
      { cause },
    );
    this.sequenceNumber = sequenceNumber;
    this.records = records;
  }
}
export const isRecordsNotCountedError = errorGuard<RecordsNotCountedError>(
  recordsNotCountedErrorCode,
);
