import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import type { CheckpointStore } from '../checkpoints/index.js';
import { readRecordFields } from '../imageParser/index.js';
import type { ShardStart } from './shardIterators.js';

const sequenceOf = (record: StreamsApiRecord): bigint =>
  BigInt(readRecordFields(record).sequenceNumber ?? '-1');

/**
 * Before a LATEST start hands over its first batch: fixes its first record as the shard's
 * anchor, or takes the one another runner fixed, and drops what lies before it. Without
 * it, a runner killed before its first checkpoint, resumed from TRIM_HORIZON once LATEST's
 * iterator expired, would hand over records written a few minutes before the start after
 * later ones were counted: refs count them, a shard watermark drops them (found by
 * `npm run chaos`: two runners, a kill, expired iterators).
 */
export const anchorFirstBatch = async (
  { checkpoints, shardId }: { checkpoints: CheckpointStore; shardId: string },
  batch: StreamsApiRecord[],
): Promise<{ batch: StreamsApiRecord[]; start?: ShardStart }> => {
  const first = batch[0] === undefined ? undefined : readRecordFields(batch[0]).sequenceNumber;
  if (first === undefined) return { batch };
  const anchor = (await checkpoints.anchorLatest(shardId, first))?.latest?.first;
  if (anchor === undefined) return { batch };
  return {
    batch: batch.filter((record) => sequenceOf(record) >= BigInt(anchor)),
    start: { kind: 'at', sequenceNumber: anchor },
  };
};
