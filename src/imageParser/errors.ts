import { describeValue, errorGuard, TypedError } from '../shared/typedError.js';

export const invalidStreamRecordErrorCode = 'InvalidStreamRecord';

/**
 * A stream record or image that is not an event this projection may count. The record
 * is never counted, nor silently skipped: it is reported as a batch item failure.
 */
export class InvalidStreamRecordError extends TypedError<typeof invalidStreamRecordErrorCode> {
  readonly code = invalidStreamRecordErrorCode;
  /** The record's SequenceNumber, when it has one (images parsed alone have none). */
  readonly sequenceNumber: string | undefined;
  readonly field: string;
  readonly value: unknown;
  readonly expected: string;

  constructor({
    sequenceNumber,
    field,
    value,
    expected,
  }: {
    sequenceNumber: string | undefined;
    field: string;
    value: unknown;
    expected: string;
  }) {
    const where = sequenceNumber === undefined ? 'Stream image' : `Stream record ${sequenceNumber}`;
    super(
      `${where}: invalid ${field} ${describeValue(value)}, expected ${expected}. ` +
        'Only INSERT images of events written by the Castore DynamoDB adapter can be parsed; ' +
        'check that the table, its stream (NEW_IMAGE or NEW_AND_OLD_IMAGES) and sourceEventStores match.',
    );
    this.sequenceNumber = sequenceNumber;
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}
export const isInvalidStreamRecordError = errorGuard<InvalidStreamRecordError>(
  invalidStreamRecordErrorCode,
);
