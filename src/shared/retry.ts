import { isTransientError } from './awsErrors.js';
import { integerOption } from './options.js';

export interface RetryOptions {
  /** Attempts per transaction for throttling and conflicts, the first included. Default 8. */
  maxAttempts: number;
  /** Base of the exponential backoff, in ms. Default 25. */
  baseDelayMs: number;
  /** Cap of one wait, in ms. Default 2000. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 8,
  baseDelayMs: 25,
  maxDelayMs: 2_000,
};

/** The user's retry options over the defaults, each checked (InvalidOption): 0 attempts would never write. */
export const retryOptions = (retry: Partial<RetryOptions> = {}): RetryOptions => ({
  maxAttempts: integerOption('retry.maxAttempts', retry.maxAttempts, {
    min: 1,
    defaultValue: DEFAULT_RETRY_OPTIONS.maxAttempts,
  }),
  baseDelayMs: integerOption('retry.baseDelayMs', retry.baseDelayMs, {
    min: 0,
    defaultValue: DEFAULT_RETRY_OPTIONS.baseDelayMs,
  }),
  maxDelayMs: integerOption('retry.maxDelayMs', retry.maxDelayMs, {
    min: 0,
    defaultValue: DEFAULT_RETRY_OPTIONS.maxDelayMs,
  }),
});

export type BackoffOptions = Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>;

/** "Full jitter" backoff: concurrent writers that collided do not collide again in step. */
export const backoffDelay = (
  attempt: number,
  { baseDelayMs, maxDelayMs }: BackoffOptions,
): number => Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy extends Partial<BackoffOptions> {
  /** Attempts, the first included (the one attempt convention); Infinity: until it succeeds. */
  maxAttempts: number;
  /**
   * Whether another attempt may pass where this one failed (default: isTransientError).
   * It may throw instead, to end with an error of its own (an outage that lasted too long).
   */
  isRetryable?: (error: unknown, attemptNumber: number) => boolean;
  /** The wait after failed attempt n (default: full-jitter backoff from baseDelayMs, maxDelayMs). */
  delayMs?: (attemptNumber: number) => number;
  /** How to wait (default: sleep); a runner passes a wait that a stop cuts short. */
  wait?: (ms: number) => Promise<void>;
}

/**
 * The retry primitive, the only backoff loop in the library: calls `attempt` until it
 * succeeds, an error is not retryable, or `maxAttempts` attempts (the first included) have
 * failed; waits between attempts. The last error is thrown as it came.
 */
export const withRetry = async <T>(
  attempt: (attemptNumber: number) => Promise<T>,
  {
    maxAttempts,
    isRetryable: retryable = isTransientError,
    baseDelayMs = DEFAULT_RETRY_OPTIONS.baseDelayMs,
    maxDelayMs = DEFAULT_RETRY_OPTIONS.maxDelayMs,
    delayMs = (attemptNumber) => backoffDelay(attemptNumber, { baseDelayMs, maxDelayMs }),
    wait = sleep,
  }: RetryPolicy,
): Promise<T> => {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (attemptNumber >= maxAttempts || !retryable(error, attemptNumber)) throw error;
      await wait(delayMs(attemptNumber));
    }
  }
};
