import { dynamoDBLocalStartErrorCode } from '../dynamoDBLocal/errors.js';
import { isAwsError, networkErrorCode } from '../shared/retry.js';
import { hasErrorCode, TypedError } from '../shared/typedError.js';

export const cliErrorCode = 'CliUsage';
/** A mistake the user can fix (a flag, a module, a missing package), said in one line. */
export class CliError extends TypedError<typeof cliErrorCode> {
  readonly code = cliErrorCode;
  constructor({ explanation }: { explanation: string }) {
    super(explanation);
  }
}

/** The one line printed for an error a user can meet; a stack trace only with DEBUG set. */
export const describeCliError = (
  error: unknown,
  context: { endpoint?: string | undefined },
): string => {
  if (hasErrorCode(error, cliErrorCode) || hasErrorCode(error, dynamoDBLocalStartErrorCode))
    return error.message;
  if (!(error instanceof Error)) return `Unexpected error: ${String(error)}`;
  const code = networkErrorCode(error);
  if (isAwsError(error, 'ResourceNotFoundException')) {
    return `${error.message.replace(/\.$/, '')}: is the table name right? Create the tables with \`castore-dynamodb-counter tables create\`.`;
  }
  if (code !== undefined) {
    return `Cannot reach DynamoDB at ${context.endpoint ?? 'the default AWS endpoint'} (${code}): check --endpoint, or leave it out to start an embedded DynamoDB Local.`;
  }
  if (error.name === 'UnrecognizedClientException' || error.name === 'CredentialsProviderError') {
    return `DynamoDB refused the credentials (${error.name}): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`;
  }
  if (error instanceof TypedError) return `${error.code}: ${error.message}`;
  return `Unexpected error: ${error.name}: ${error.message}`;
};
