import { isTransientError } from '../shared/retry.js';

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
    for (let outages = 1; !this.stopping; outages++) {
      try {
        return await call();
      } catch (error) {
        if (!isTransientError(error)) throw error;
        await this.sleepUnlessWoken(outageDelay(outages));
      }
    }
    return undefined;
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
