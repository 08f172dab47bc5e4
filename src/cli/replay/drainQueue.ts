import { countingStreamFilter } from '../../counterProjection/index.js';
import { streamRunnerModule } from '../frame/optionalModules.js';
import { sqsClientFor } from '../frame/sqsClient.js';
import { type ProjectionOptions, withProjection } from '../frame/withProjection.js';
import { out } from '../io.js';
import { replayedLine, verdict } from '../output/replayLines.js';
import { eventStreamArn, type ReplayStreamOptions } from './eventStreamArn.js';

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
        onMessage: ({ messageId, replay, deleted }) =>
          out(`Message ${messageId}: ${replayedLine(replay)}${deleted ? ' Deleted.' : ''}`),
      });
      out(
        `${result.deleted} messages replayed (${result.replayed} records) and deleted from the queue.`,
      );
      const stop = result.stoppedAt;
      if (stop === undefined) return 0;
      if (!('replay' in stop)) {
        const why = (stop.error as Error).message;
        out(
          stop.reason === 'invalid'
            ? `Message ${stop.messageId} is not a dead letter of a stream this projection reads (${why}); it stays in the queue: look at it, and replay a dead letter of another stream with the handler of that stream.`
            : `Message ${stop.messageId} stays in the queue: ${why}`,
        );
        return 1;
      }
      const code = verdict(stop.replay, 'run replay again');
      out(
        code === 2
          ? `Message ${stop.messageId} stays in the queue: once \`rebuild\` has run, it and every older message can be purged.`
          : `Message ${stop.messageId} stays in the queue.`,
      );
      return code;
    });
  } finally {
    sqsClient.destroy();
  }
};
