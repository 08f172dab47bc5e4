import { type EventAlreadyExistsError, eventAlreadyExistsErrorCode } from '@castore/core';

import { TypedError } from '../shared/index.js';

/** Castore's own code, so that `isEventAlreadyExistsError` and Castore commands' retries see it. */
export class DynamoDBEventAlreadyExistsError
  extends TypedError<typeof eventAlreadyExistsErrorCode>
  implements EventAlreadyExistsError
{
  readonly code = eventAlreadyExistsErrorCode;
  readonly eventStoreId: string;
  readonly aggregateId: string;
  readonly version: number;

  constructor({
    eventStoreId,
    aggregateId,
    version,
  }: {
    eventStoreId: string;
    aggregateId: string;
    version: number;
  }) {
    super(
      `Event already exists for ${eventStoreId} aggregate ${aggregateId} and version ${version}: ` +
        'read the aggregate again and push the next version (or pass force to overwrite).',
    );
    this.eventStoreId = eventStoreId;
    this.aggregateId = aggregateId;
    this.version = version;
  }
}
