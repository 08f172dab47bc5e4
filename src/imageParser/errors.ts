import { describeValue, TypedError } from '../shared/typedError.js';

export const invalidStreamRecordErrorCode = 'InvalidStreamRecord';

/**
 * A stream record or image that is not an event this projection may count. The record
 * is never counted, nor silently skipped: it is reported as a batch item failure.
 */
export class InvalidStreamRecordError extends TypedError<typeof invalidStreamRecordErrorCode> {
  readonly code = invalidStreamRecordErrorCode;

  constructor(
    readonly details: {
      /** The record's SequenceNumber, when it has one (images parsed alone have none). */
      sequenceNumber: string | undefined;
      field: string;
      value: unknown;
      expected: string;
    },
  ) {
    const where =
      details.sequenceNumber === undefined
        ? 'Stream image'
        : `Stream record ${details.sequenceNumber}`;
    super(
      `${where}: invalid ${details.field} ${describeValue(details.value)}, expected ${details.expected}. ` +
        'Only INSERT images of events written by the Castore DynamoDB adapter can be parsed; ' +
        'check that the table, its stream (NEW_IMAGE or NEW_AND_OLD_IMAGES) and sourceEventStores match.',
    );
  }

  get sequenceNumber(): string | undefined {
    return this.details.sequenceNumber;
  }

  get field(): string {
    return this.details.field;
  }

  get value(): unknown {
    return this.details.value;
  }
}
