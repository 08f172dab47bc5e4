// Recognising AWS's errors: by name (whichever copy of the SDK made them), and whether
// another attempt may pass where one failed (what withRetry retries by default).

// Cancellation reasons and errors that a later attempt can get past.
const RETRYABLE = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceededException',
  // The Streams API's throttling (more than ~5 GetRecords a second on a shard).
  'LimitExceededException',
  'TransactionInProgressException',
  'InternalServerError',
  'InternalServerErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

// A connection lost or refused (a DynamoDB restarting, a network blip): nothing was
// written by a refused call, and a transaction is all or nothing, so trying again is safe.
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** The network error code of a connection refused, reset or unreachable, if it is one. */
export const networkErrorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code) ? code : undefined;
};

/**
 * The one way to recognise an AWS error: by name, which holds whichever copy of the SDK
 * made it (a second copy in node_modules has exception classes of its own).
 */
export const isAwsError = <NAME extends string>(
  error: unknown,
  name: NAME,
): error is Error & { name: NAME } => error instanceof Error && error.name === name;

export const isRetryable = (codeOrName: string | undefined): boolean =>
  codeOrName !== undefined && RETRYABLE.has(codeOrName);

/** Whether another attempt may succeed where this error failed: throttling, conflicts, 5xx, the network. */
export const isTransientError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const { $retryable, $metadata } = error as {
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    isRetryable(error.name) ||
    error.name === 'TimeoutError' ||
    networkErrorCode(error) !== undefined ||
    $retryable !== undefined ||
    ($metadata?.httpStatusCode ?? 0) >= 500
  );
};
