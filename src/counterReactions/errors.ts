import { describeValue, errorGuard, TypedError } from '../shared/typedError.js';

export const invalidCountsRecordErrorCode = 'InvalidCountsRecord';
/**
 * A record of the counts table's stream that is not what the projection writes: its
 * crossings cannot be known, so nothing fires and the record fails (to be retried, or to
 * reach the dead letter).
 */
export class InvalidCountsRecordError extends TypedError<typeof invalidCountsRecordErrorCode> {
  readonly code = invalidCountsRecordErrorCode;
  readonly value: unknown;
  readonly reason: string;
  constructor({ value, reason }: { value: unknown; reason: string }) {
    super(
      `Not a counts table record reactions can read (${reason}): ${describeValue(value)}. ` +
        "Give the reactions handler the counts table's stream, with NEW_AND_OLD_IMAGES.",
    );
    this.value = value;
    this.reason = reason;
  }
}
export const isInvalidCountsRecordError = errorGuard<InvalidCountsRecordError>(
  invalidCountsRecordErrorCode,
);

export const reactionFailedErrorCode = 'ReactionFailed';
/** The reaction (your callback, or pushing the event) threw: the record is retried from there. */
export class ReactionFailedError extends TypedError<typeof reactionFailedErrorCode> {
  readonly code = reactionFailedErrorCode;
  readonly idempotencyKey: string;
  constructor({ idempotencyKey, cause }: { idempotencyKey: string; cause: unknown }) {
    super(
      `The reaction to ${idempotencyKey} failed: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'It is retried with the record; once it succeeds, it is not fired again.',
      { cause },
    );
    this.idempotencyKey = idempotencyKey;
  }
}
export const isReactionFailedError = errorGuard<ReactionFailedError>(reactionFailedErrorCode);
