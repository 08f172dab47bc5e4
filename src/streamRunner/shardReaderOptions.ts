import type {
  _Record as StreamsApiRecord,
  DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';

import type { UntoldGap } from '../checkpoints/index.js';
import type { CheckpointStore } from '../checkpoints/index.js';
import type { StreamFilterPattern } from './filterPattern.js';
import type { RetentionGap } from './shardIterators.js';

/** What reading one shard needs (shardReader.ts): the runner's settings and its callbacks. */
export interface ShardReaderOptions {
  streamsClient: DynamoDBStreamsClient;
  streamArn: string;
  shardId: string;
  checkpoints: CheckpointStore;
  batchSize: number;
  /** Records the mapping's filter drops are never batched (Lambda's FilterCriteria). */
  filter: StreamFilterPattern | undefined;
  /** The runner's clock: a LATEST start older than the retention may have lost records. */
  now: () => Date;
  /** How long to gather records before calling the handler with fewer than batchSize. */
  maximumBatchingWindowMs: number;
  pollIntervalMs: number;
  /** Consecutive empty reads of an open shard taken as "caught up" (an empty page is not the end on AWS). */
  emptyReadsBeforeCaughtUp: number;
  isStopping: () => boolean;
  /** Handles a batch in order; resolves once it is checkpointed, to false if it was given up because the runner stops. */
  handleBatch: (records: StreamsApiRecord[]) => Promise<boolean>;
  onRead: (records: StreamsApiRecord[]) => void;
  /** Everything read so far is handled and the shard gave nothing new for a while. */
  onCaughtUp: () => void;
  /** Saves, reports and tells a retention gap: resolves once told (GapNotTold if not). */
  onRetentionGap: (gap: RetentionGap) => Promise<void>;
  /** Tells a gap saved and not told yet, before anything else of the shard (shardGaps.ts). */
  tellGap: (gap: UntoldGap) => Promise<void>;
  /** Nothing more to hand over for now (an empty read, a stop): a deferred checkpoint is saved. */
  onIdle?: () => Promise<void>;
}
