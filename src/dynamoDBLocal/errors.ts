import { errorGuard, TypedError } from '../shared/typedError.js';

export const dynamoDBLocalStartErrorCode = 'DynamoDBLocalStart';
export type DynamoDBLocalStartFailure = 'JavaMissing' | 'PortTaken' | 'ExitedEarly' | 'NotReady';

/** The embedded DynamoDB Local could not be started; the message says what to install or change. */
export class DynamoDBLocalStartError extends TypedError<typeof dynamoDBLocalStartErrorCode> {
  readonly code = dynamoDBLocalStartErrorCode;
  readonly failure: DynamoDBLocalStartFailure;
  constructor({
    failure,
    explanation,
  }: {
    failure: DynamoDBLocalStartFailure;
    explanation: string;
  }) {
    super(explanation);
    this.failure = failure;
  }
}
export const isDynamoDBLocalStartError = errorGuard<DynamoDBLocalStartError>(
  dynamoDBLocalStartErrorCode,
);
