import type { Shard } from '@aws-sdk/client-dynamodb-streams';

import { isAwsError, isTransientError, sleep } from '../shared/index.js';
import { isReadyToRead } from './shardDiscovery.js';
import { GapNotTold } from './shardGaps.js';

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
      /** Tells the gap of a checkpointed shard that expired unread; true once told (finished). */
      expire: (shardId: string) => Promise<boolean>;
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

  /**
   * Tells the gap of every expired shard (checkpointed, not finished, no longer listed), and
   * starts a reader for every listed shard not read yet whose parent is done; returns the
   * ids listed.
   */
  startReady = (shards: Shard[], expired: ReadonlySet<string> = new Set()): Set<string> => {
    const listed = new Set(shards.map((shard) => shard.ShardId as string));
    for (const shardId of expired) this.start(shardId, this.options.expire);
    for (const shard of shards)
      if (isReadyToRead(shard, listed, this.finished, expired))
        this.start(shard.ShardId as string, this.options.read);
    return listed;
  };

  private start = (shardId: string, work: (shardId: string) => Promise<boolean>): void => {
    if (this.workers.has(shardId) || this.finished.has(shardId)) return;
    this.workers.set(shardId, this.startReader(shardId, work));
  };

  isCaughtUp = (listed: ReadonlySet<string>): boolean =>
    [...listed].every((id) => this.finished.has(id) || this.caughtUp.has(id));

  /** Waits for every reader to stop. */
  drain = async (): Promise<void> => {
    await Promise.all(this.workers.values());
  };

  private startReader = (
    shardId: string,
    work: (shardId: string) => Promise<boolean>,
  ): Promise<void> =>
    work(shardId)
      .then((done) => {
        if (done) this.finished.add(shardId);
      })
      .catch(async (error: unknown) => {
        // DynamoDB away for a while (restarting, throttling), or a gap the handler did not
        // take yet (the shard holds): the shard is read again from its checkpoint at the
        // next discovery, its gap told first; nothing is skipped.
        if (error instanceof GapNotTold) this.caughtUp.delete(shardId);
        if (isTransientError(error) || error instanceof GapNotTold)
          return sleep(this.options.outageDelayMs);
        // A closed shard past the retention is no longer listed: it is gone, with its
        // records; the next discovery tells its gap (ShardDiscovery finds it expired) and
        // lets its children start. (A stream that is gone makes DescribeStream fail, which
        // stops the runner.)
        if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
        this.fatal = { error };
        this.options.onFatal();
      })
      .finally(() => {
        this.workers.delete(shardId);
        this.options.onEnded();
      });
}
