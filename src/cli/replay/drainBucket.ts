import { streamRunnerModule } from '../frame/optionalModules.js';
import { s3ClientFor } from '../frame/s3Client.js';
import { type ProjectionOptions, withProjection } from '../frame/withProjection.js';
import { out } from '../io.js';
import { BUCKET, drainedLine, drainVerdict } from '../output/replayLines.js';
import { eventStreamArn, type ReplayStreamOptions } from './eventStreamArn.js';
import { countersOf, exactnessVerdict } from './exactnessVerdict.js';

/**
 * `replay --dead-letter-bucket`: drains the S3 on-failure destination oldest object first,
 * from the records in the objects (no stream read: they may be older than its 24 hours),
 * deleting each object once its records are counted; stops at the first it cannot recover,
 * which stays in the bucket. The same lines and exit codes as the queue's drain.
 */
export const drainBucket = async (
  options: ProjectionOptions &
    ReplayStreamOptions & { deadLetterBucket: string; prefix?: string; maxMessages?: number },
): Promise<number> => {
  const { drainDeadLetterBucket } = await streamRunnerModule('replay');
  const s3Client = await s3ClientFor();
  try {
    return await withProjection(options, async (projection, connection) => {
      const result = await drainDeadLetterBucket({
        s3Client,
        bucket: options.deadLetterBucket,
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        handler: (records, batch) => projection.processRecords(records, batch),
        ...(await eventStreamArn(connection, options)),
        ...(options.maxMessages !== undefined ? { maxObjects: options.maxMessages } : {}),
        onObject: ({ key, ...outcome }) => out(drainedLine(BUCKET, { id: key, ...outcome })),
      });
      const stop = result.stoppedAt;
      const code = drainVerdict(BUCKET, result, stop && { ...stop, id: stop.key });
      return exactnessVerdict(connection, countersOf(options, projection), code);
    });
  } finally {
    s3Client.destroy();
  }
};
