import { CounterError, isTransientError, withRetry } from '../shared/index.js';

// Internal: a stop was asked between two attempts.
const STOPPED = new Error('stopped');

/**
 * Whether the runner is stopping, and the waits that a stop cuts short: between shard
 * discoveries, and while DynamoDB is away. Signals (Ctrl-C, SIGTERM) ask for a stop.
 */
export class RunControl {
  stopping = false;
  private wake: () => void = () => undefined;

  stop = (): void => {
    this.stopping = true;
    this.wake();
  };

  /** Ends the current wait at once (a reader ended or caught up: look at the shards again). */
  wakeUp = (): void => this.wake();

  sleepUnlessWoken = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Calls until it succeeds, waiting out transient errors; undefined when stopped meanwhile. */
  rideOutOutages = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      const result = await withRetry(
        async () => {
          if (this.stopping) throw STOPPED;
          return call();
        },
        {
          maxAttempts: Infinity,
          isRetryable: (error) => error !== STOPPED && this.outageGoesOn(error),
          delayMs: outageDelay,
          wait: this.sleepUnlessWoken,
        },
      );
      this.outageOver();
      return result;
    } catch (error) {
      if (error === STOPPED) return undefined;
      throw error;
    }
  };

  /** Set by run(): how long an outage may last, and who hears of it (undefined: it is over). */
  outagePolicy: {
    tableName: string;
    maximumMs: number | undefined;
    report: (outage: { since: string; error: string } | undefined) => void;
  } = { tableName: '', maximumMs: undefined, report: () => undefined };
  private outageSince: number | undefined;

  /**
   * After a failed call: false for what is not transient (it is thrown), else reports the
   * outage, and fails once it has lasted longer than the policy allows (a run that should
   * end must not hang on an endpoint that never answers).
   */
  private outageGoesOn = (error: unknown): boolean => {
    if (!isTransientError(error)) return false;
    this.outageSince ??= Date.now();
    const lasted = Date.now() - this.outageSince;
    const { maximumMs } = this.outagePolicy;
    if (maximumMs !== undefined && lasted > maximumMs) {
      const { tableName } = this.outagePolicy;
      throw new CounterError('StreamUnreachable', { tableName, outageMs: lasted, cause: error });
    }
    const since = new Date(this.outageSince).toISOString();
    this.outagePolicy.report({ since, error: String(error) });
    return true;
  };

  outageOver = (): void => {
    if (this.outageSince === undefined) return;
    this.outageSince = undefined;
    this.outagePolicy.report(undefined);
  };

  /** Stops on SIGINT/SIGTERM until the returned function is called. */
  stopOnSignals = (): (() => void) => {
    const onSignal = () => this.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  };
}

/** Doubling from 200 ms up to 5 s: a restarting DynamoDB is not hammered. */
export const outageDelay = (outages: number): number =>
  Math.min(5_000, 100 * 2 ** Math.min(outages, 6));
