import {
  hasErrorCode,
  isAwsError,
  isCounterError,
  networkErrorCode,
  TypedError,
} from '../shared/index.js';

export const cliErrorCode = 'CliUsage';
/** A mistake the user can fix (a flag, a module, a missing package), said in one line. */
export class CliError extends TypedError<typeof cliErrorCode> {
  readonly code = cliErrorCode;
  constructor({ explanation }: { explanation: string }) {
    super(explanation);
  }
}

/** The one line printed for an error a user can meet; a stack trace only with DEBUG set. */
export interface CliErrorContext {
  endpoint?: string | undefined;
  /** The command that ran: only `demo` can start an embedded DynamoDB Local. */
  command?: string | undefined;
  /** The tables the command was given, to name the missing one. */
  tables?: string[] | undefined;
}

export const describeCliError = (error: unknown, context: CliErrorContext): string => {
  if (hasErrorCode(error, cliErrorCode) || hasErrorCode(error, 'DynamoDBLocalStart'))
    return error.message;
  if (!(error instanceof Error)) return `Unexpected error: ${String(error)}`;
  const code = networkErrorCode(error);
  if (isAwsError(error, 'ResourceNotFoundException')) {
    const names = context.tables?.length ? ` (this command uses ${context.tables.join(', ')})` : '';
    return `${error.message.replace(/\.$/, '')}${names}: is the table name right? Create the tables with \`castore-dynamodb-counter tables create\`.`;
  }
  if (code !== undefined) {
    const embedded =
      context.command === 'demo' ? ', or leave it out to start an embedded DynamoDB Local' : '';
    return `Cannot reach DynamoDB at ${context.endpoint ?? 'the default AWS endpoint'} (${code}): check --endpoint${embedded}.`;
  }
  if (/Region is missing/i.test(error.message)) {
    return 'No AWS region was found: set AWS_REGION, or a region in the profile of AWS_PROFILE (~/.aws/config), or pass --endpoint to use DynamoDB Local.';
  }
  if (error.name === 'CredentialsProviderError') {
    return 'No AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or pass --endpoint to use DynamoDB Local.';
  }
  if (error.name === 'UnrecognizedClientException') {
    return `DynamoDB refused the credentials (${error.name}): check AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`;
  }
  if (error instanceof TypedError || isCounterError(error))
    return `${error.code}: ${error.message}`;
  return `Unexpected error: ${error.name}: ${error.message}`;
};
