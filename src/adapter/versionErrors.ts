import { errorGuard, TypedError } from '../shared/typedError.js';

export const previousVersionMissingErrorCode = 'PreviousVersionMissing';
/**
 * With requireContiguousVersions: version N of an aggregate was pushed while version N-1
 * does not exist (a stale or wrong version number). Nothing was written.
 */
export class PreviousVersionMissingError extends TypedError<
  typeof previousVersionMissingErrorCode
> {
  readonly code = previousVersionMissingErrorCode;
  readonly eventStoreId: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly missingVersion: number;
  /** The event's position in its group, for a group. */
  readonly eventIndex: number | undefined;
  constructor(fields: {
    eventStoreId: string;
    aggregateId: string;
    version: number;
    eventIndex?: number | undefined;
  }) {
    const { eventStoreId, aggregateId, version, eventIndex } = fields;
    const which = eventIndex === undefined ? '' : ` (group event #${eventIndex})`;
    super(
      `Version ${version} of ${eventStoreId} aggregate ${aggregateId}${which} was refused: version ${version - 1} does not exist, ` +
        'and the adapter requires contiguous versions. Nothing was written: read the aggregate again and push the version after its last one.',
    );
    this.eventStoreId = eventStoreId;
    this.aggregateId = aggregateId;
    this.version = version;
    this.missingVersion = version - 1;
    this.eventIndex = eventIndex;
  }
}
export const isPreviousVersionMissingError = errorGuard<PreviousVersionMissingError>(
  previousVersionMissingErrorCode,
);
