import type { Shard } from '@aws-sdk/client-dynamodb-streams';

import { isAwsError, isTransientError, sleep } from '../shared/index.js';
import { isReadyToRead } from './shardDiscovery.js';

/**
 * One reader per shard whose parent is done, and what is known of each shard: caught up
 * with its current end, or closed and fully handled. A reader's fatal error is kept for
 * the runner to throw once every reader has stopped.
 */
export class ShardWorkers {
  private readonly workers = new Map<string, Promise<void>>();
  readonly caughtUp = new Set<string>();
  readonly finished = new Set<string>();
  fatal: { error: unknown } | undefined;

  constructor(
    private readonly options: {
      /** Reads a shard; resolves to true when it is closed and fully handled. */
      read: (shardId: string) => Promise<boolean>;
      /** A reader met an error nothing but the user can fix. */
      onFatal: () => void;
      /** A reader ended: time to look at the shards again. */
      onEnded: () => void;
      outageDelayMs: number;
    },
  ) {}

  get active(): number {
    return this.workers.size;
  }

  /** Starts a reader for every listed shard not read yet whose parent is done; returns the ids listed. */
  startReady = (shards: Shard[]): Set<string> => {
    const listed = new Set(shards.map((shard) => shard.ShardId as string));
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      if (this.workers.has(shardId) || this.finished.has(shardId)) continue;
      if (!isReadyToRead(shard, listed, this.finished)) continue;
      this.workers.set(shardId, this.startReader(shardId));
    }
    return listed;
  };

  isCaughtUp = (listed: ReadonlySet<string>): boolean =>
    [...listed].every((id) => this.finished.has(id) || this.caughtUp.has(id));

  /** Waits for every reader to stop. */
  drain = async (): Promise<void> => {
    await Promise.all(this.workers.values());
  };

  private startReader = (shardId: string): Promise<void> =>
    this.options
      .read(shardId)
      .then((done) => {
        if (done) this.finished.add(shardId);
      })
      .catch(async (error: unknown) => {
        // DynamoDB away for a while (restarting, throttling): the shard is read again
        // from its checkpoint at the next discovery, nothing is skipped.
        if (isTransientError(error)) return sleep(this.options.outageDelayMs);
        // A closed shard past the retention is no longer listed: it is gone, with its
        // records; the next discovery lets its children start. (A stream that is gone
        // makes DescribeStream fail, which stops the runner.)
        if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
        this.fatal = { error };
        this.options.onFatal();
      })
      .finally(() => {
        this.workers.delete(shardId);
        this.options.onEnded();
      });
}
