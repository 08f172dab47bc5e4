import type { DynamoDBStreamsClient, Shard } from '@aws-sdk/client-dynamodb-streams';

import type { CheckpointStore } from '../checkpoints/index.js';
import { getIterator } from './shardIterators.js';

/**
 * Decides, once per consumer, where its first start begins. With LATEST, as Lambda's
 * mapping does when it is created: the shards open now start at their current end (the
 * iterator is saved at once, so that a runner that handles nothing and restarts does not
 * take LATEST again and skip what was written meanwhile), and the shards already closed
 * hold only older records: they count as finished. Every shard found later starts at
 * TRIM_HORIZON. A second runner starting at the same time keeps the first one's choices.
 */
export const initializeConsumer = async ({
  streamsClient,
  streamArn,
  checkpoints,
  startingPosition,
  shards,
  now,
}: {
  streamsClient: DynamoDBStreamsClient;
  streamArn: string;
  checkpoints: CheckpointStore;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  shards: Shard[];
  now: () => Date;
}): Promise<void> => {
  if ((await checkpoints.getConsumerStart()) !== undefined) return;
  const startedAt = now().toISOString();
  if (startingPosition === 'LATEST') {
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) {
        await checkpoints.saveIfAbsent(shardId, { finished: true });
        continue;
      }
      const iterator = await getIterator({ streamsClient, streamArn, shardId }, 'LATEST');
      if (iterator !== undefined)
        await checkpoints.saveIfAbsent(shardId, {
          finished: false,
          latest: { iterator, takenAt: now().toISOString() },
        });
    }
  }
  // Saved last: a runner killed before this decides again, and keeps what was saved.
  await checkpoints.saveConsumerStart({ startingPosition, startedAt });
};
