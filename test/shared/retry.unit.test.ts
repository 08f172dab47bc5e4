import { describe, expect, it } from 'vitest';

import { withRetry } from '../../src/shared/index.js';

// The one retry primitive: every loop of the library that tries again goes through it.
describe('withRetry', () => {
  const noWait = { wait: async () => undefined };

  it('counts the first try among maxAttempts and throws the last error as it came', async () => {
    const calls: number[] = [];
    const last = new Error('throttled 3');
    const promise = withRetry(
      async (attemptNumber) => {
        calls.push(attemptNumber);
        throw attemptNumber === 3 ? last : new Error(`throttled ${attemptNumber}`);
      },
      { maxAttempts: 3, isRetryable: () => true, ...noWait },
    );
    await expect(promise).rejects.toBe(last);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('stops at the first error that is not retryable, and returns what an attempt returns', async () => {
    const calls: number[] = [];
    const fatal = new Error('validation');
    await expect(
      withRetry(
        async (n) => {
          calls.push(n);
          throw n === 2 ? fatal : new Error('retry me');
        },
        { maxAttempts: 10, isRetryable: (error) => error !== fatal, ...noWait },
      ),
    ).rejects.toBe(fatal);
    expect(calls).toEqual([1, 2]);
    await expect(
      withRetry(async (n) => (n < 4 ? Promise.reject(new Error('again')) : n), {
        maxAttempts: Infinity,
        isRetryable: () => true,
        ...noWait,
      }),
    ).resolves.toBe(4);
  });

  it('waits the delay given for each failed attempt, and ends with the error isRetryable throws', async () => {
    const waits: number[] = [];
    const gaveUp = new Error('outage too long');
    await expect(
      withRetry(() => Promise.reject(new Error('ECONNREFUSED')), {
        maxAttempts: Infinity,
        isRetryable: (_error, n) => {
          if (n === 3) throw gaveUp;
          return true;
        },
        delayMs: (n) => n * 100,
        wait: async (ms) => void waits.push(ms),
      }),
    ).rejects.toBe(gaveUp);
    expect(waits).toEqual([100, 200]);
  });

  it('retries transient AWS errors by default, within the full-jitter cap', async () => {
    const waits: number[] = [];
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw throttled;
        return 'written';
      },
      { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 15, wait: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('written');
    expect(waits).toHaveLength(2);
    for (const [index, ms] of waits.entries())
      expect(ms).toBeLessThanOrEqual(Math.min(15, 10 * 2 ** (index + 1)));
    const notTransient = new Error('ValidationException');
    await expect(
      withRetry(() => Promise.reject(notTransient), { maxAttempts: 5, ...noWait }),
    ).rejects.toBe(notTransient);
  });
});
