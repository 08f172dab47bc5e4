import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';

import { type CounterError, isAwsError } from '../shared/index.js';
import {
  type ListedObject,
  listOldestFirst,
  severalMappings,
  tooLarge,
} from './deadLetterObjects.js';
import {
  type DrainOptions,
  type DrainOutcome,
  type DrainResult,
  type DrainStop,
  replayForDrain,
  type SendingClient,
  sendWith,
  stopAt,
} from './drainReplay.js';

/** Your S3Client (@aws-sdk/client-s3, an optional peer: see SendingClient). */
export type S3ClientLike = SendingClient;

export interface DrainDeadLetterBucketOptions extends DrainOptions {
  /** An S3Client of @aws-sdk/client-s3, for the bucket's region. */
  s3Client: S3ClientLike;
  /** The mapping's on-failure bucket. */
  bucket: string;
  /**
   * Where the objects are: default `aws/lambda/`, where Lambda writes every mapping's
   * (`aws/lambda/<mapping UUID>/<shard>/…`); give `aws/lambda/<mapping UUID>/` for one mapping's.
   * Objects of several mappings under it stop the drain before anything is replayed.
   */
  prefix?: string;
  /** Only for an object that holds no records (no `payload`): they are then read from the stream, through `filter`. */
  streamsClient?: DynamoDBStreamsClient;
  /** Stop after this many objects (default: until a listing finds none). */
  maxObjects?: number;
  onObject?: (outcome: DrainOutcome<{ key: string }>) => void;
}

type S3 = typeof import('@aws-sdk/client-s3');

/**
 * Drains the S3 on-failure destination of a stream's mapping, oldest object first: replays
 * each object's records (they are in it: no stream is read, however old they are) and
 * deletes the object only once every one of them was counted. It stops at the first object
 * it cannot recover (still failing, not a dead letter of this stream), which stays in the
 * bucket. It lists again after each pass and ends when a listing finds nothing new.
 * Counting is exactly once: an object replayed twice (a drain interrupted before its
 * delete, two drains at once) counts nothing twice.
 */
export const drainDeadLetterBucket = async (
  options: DrainDeadLetterBucketOptions,
): Promise<DrainResult<{ key: string }>> => {
  // Loaded here, not at the top: the stream-runner entry must load without this optional peer.
  const s3 = await import('@aws-sdk/client-s3');
  const { maxObjects = Number.POSITIVE_INFINITY } = options;
  const result: DrainResult<{ key: string }> = { deleted: 0, replayed: 0, stoppedAt: undefined };
  const seen = new Set<string>();
  for (;;) {
    // A key listed again once handled (a store that does not delete) is not replayed again.
    const objects = (await listOldestFirst(s3, options)).filter(({ key }) => !seen.has(key));
    if (objects.length === 0) return result;
    const mixed = severalMappings(objects);
    if (mixed !== undefined) return { ...result, stoppedAt: { reason: 'invalid', ...mixed } };
    for (const { key, size } of objects) {
      if (seen.size >= maxObjects) return result;
      seen.add(key);
      result.stoppedAt = await handleObject(s3, { key, size }, options, result);
      if (result.stoppedAt !== undefined) return result;
    }
  }
};

/** One object replayed, then deleted; kept (the drain stopping there) when it cannot be recovered. */
const handleObject = async (
  s3: S3,
  { key, size }: ListedObject,
  options: DrainDeadLetterBucketOptions,
  result: DrainResult<{ key: string }>,
): Promise<DrainStop<{ key: string }> | undefined> => {
  const { s3Client, bucket, handler, filter, streamArn, streamsClient, onObject } = options;
  const large = tooLarge(key, size);
  if (large !== undefined) return { reason: 'invalid', key, error: large };
  const body = await readObject(s3, options, key);
  // Deleted since it was listed (another drain replayed it): nothing left to do.
  if (body === undefined) return undefined;
  if (typeof body !== 'string') return { reason: 'invalid', key, error: body };
  const step = await replayForDrain({
    lambdaOnly: true,
    handler,
    deadLetter: body,
    ...(streamsClient !== undefined ? { streamsClient } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(streamArn !== undefined ? { streamArn } : {}),
  });
  if (!step.done) {
    if (step.replay !== undefined) onObject?.({ key, replay: step.replay, deleted: false });
    return stopAt(step.stop, { key });
  }
  await sendWith(s3Client, new s3.DeleteObjectCommand({ Bucket: bucket, Key: key }));
  result.deleted += 1;
  result.replayed += step.replay.replayed;
  onObject?.({ key, replay: step.replay, deleted: true });
  return undefined;
};

const readObject = async (
  s3: S3,
  { s3Client, bucket }: DrainDeadLetterBucketOptions,
  key: string,
): Promise<string | CounterError<'InvalidDeadLetter'> | undefined> => {
  try {
    const { Body, ContentLength } = await sendWith<GetObjectCommandOutput>(
      s3Client,
      new s3.GetObjectCommand({ Bucket: bucket, Key: key }),
    );
    // Grown since it was listed: still refused before it is read.
    const large = tooLarge(key, ContentLength);
    // Left unread: the drain stops here.
    if (large !== undefined) return large;
    return (await Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (isAwsError(error, 'NoSuchKey')) return undefined;
    throw error;
  }
};
