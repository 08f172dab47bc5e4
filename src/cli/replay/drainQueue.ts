import { countingStreamFilter } from '../../counterProjection/index.js';
import { streamRunnerModule } from '../frame/optionalModules.js';
import { sqsClientFor } from '../frame/sqsClient.js';
import { type ProjectionOptions, withProjection } from '../frame/withProjection.js';
import { out } from '../io.js';
import { drainedLine, drainVerdict, QUEUE } from '../output/replayLines.js';
import { eventStreamArn, type ReplayStreamOptions } from './eventStreamArn.js';
import { countersOf, exactnessVerdict } from './exactnessVerdict.js';

/**
 * `replay --queue-url`: drains the on-failure queue, deleting each message once its records
 * are counted; stops at the first it cannot recover, which stays in the queue. Exit codes as
 * for one message.
 */
export const drainQueue = async (
  options: ProjectionOptions & ReplayStreamOptions & { queueUrl: string; maxMessages?: number },
): Promise<number> => {
  const { drainDeadLetterQueue } = await streamRunnerModule('replay');
  const sqsClient = await sqsClientFor(options.queueUrl);
  try {
    return await withProjection(options, async (projection, connection) => {
      const result = await drainDeadLetterQueue({
        sqsClient,
        queueUrl: options.queueUrl,
        streamsClient: await connection.streamsClient('replay'),
        handler: (records, batch) => projection.processRecords(records, batch),
        filter: countingStreamFilter,
        ...(await eventStreamArn(connection, options)),
        ...(options.maxMessages !== undefined ? { maxMessages: options.maxMessages } : {}),
        onMessage: ({ messageId, ...outcome }) =>
          out(drainedLine(QUEUE, { id: messageId, ...outcome })),
      });
      const stop = result.stoppedAt;
      const code = drainVerdict(QUEUE, result, stop && { ...stop, id: stop.messageId });
      return exactnessVerdict(connection, countersOf(options, projection), code);
    });
  } finally {
    sqsClient.destroy();
  }
};
