export interface RetryOptions {
  /** Attempts per transaction for throttling and conflicts, the first included. Default 8. */
  maxAttempts: number;
  /** Base of the exponential backoff, in ms. Default 25. */
  baseDelayMs: number;
  /** Cap of one wait, in ms. Default 2000. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = { maxAttempts: 8, baseDelayMs: 25, maxDelayMs: 2_000 };

/** "Full jitter" backoff: concurrent writers that collided do not collide again in step. */
export const backoffDelay = (attempt: number, { baseDelayMs, maxDelayMs }: RetryOptions): number =>
  Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
  'TransactionInProgressException',
  'InternalServerError',
  'InternalServerErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

export const isRetryable = (codeOrName: string | undefined): boolean => codeOrName !== undefined && RETRYABLE.has(codeOrName);
