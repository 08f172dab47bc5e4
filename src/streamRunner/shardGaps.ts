import type { BatchContext } from './invokeBatch.js';

type Gap = NonNullable<BatchContext['afterGap']>;

/**
 * The gaps each shard's next batch must tell its handler (`afterGap`): a retention gap, or
 * records dead-lettered that the handler could not be told of at once. A gap is said once
 * a handler handled a batch that carried it; one that arose during that batch stays.
 */
export class ShardGaps {
  private readonly pending = new Map<string, Gap>();
  private readonly arising = new Map<string, Gap>();

  /** What the shard's next batch carries. */
  contextFor = (shardId: string): { afterGap?: Gap } => {
    const gap = this.pending.get(shardId);
    return gap === undefined ? {} : { afterGap: gap };
  };

  /** A retention gap: told with the next batch. */
  add = (shardId: string, gap: Gap): void => void this.pending.set(shardId, gap);

  /** A gap that arose while a batch was handled (a dead letter not told): told with the one after. */
  arose = (shardId: string, gap: Gap): void => void this.arising.set(shardId, gap);

  /** The batch was handled: what it carried is said; what arose meanwhile is next. */
  handled = (shardId: string): void => {
    this.pending.delete(shardId);
    const arisen = this.arising.get(shardId);
    if (arisen === undefined) return;
    this.arising.delete(shardId);
    this.pending.set(shardId, arisen);
  };
}
