// In a file of its own, as `run`: it reads the stream (the optional streams client).
import { readFile } from 'node:fs/promises';

import { countingStreamFilter } from '../../counterProjection/index.js';
import { isCounterError } from '../../shared/index.js';
import { replayDeadLetter } from '../../streamRunner/index.js';
import { CliError } from '../cliError.js';
import { out } from '../io.js';
import { replayedLine, verdict } from '../replayLines.js';
import { type ProjectionOptions, withProjection } from './project.js';
import { drainBucket } from './replayBucket.js';
import { drainQueue } from './replayQueue.js';
import { eventStreamArn, type ReplayStreamOptions } from './replayStream.js';

export type ReplayOptions = ProjectionOptions &
  ReplayStreamOptions & {
    message?: string;
    queueUrl?: string;
    deadLetterBucket?: string;
    prefix?: string;
    maxMessages?: number;
  };

/**
 * `replay`: counts dead-lettered batches again, from one dead letter saved to a file (a
 * message's body, or an object of an S3 destination), from the mapping's on-failure queue
 * (drained message by message) or from its on-failure bucket (drained object by object).
 * Exit 0 when every record was counted; 1 when the handler still fails (or a dead letter is
 * not one); 2 when records were past the stream's retention.
 */
export const replayCommand = async (options: ReplayOptions): Promise<number> => {
  const sources = [options.message, options.queueUrl, options.deadLetterBucket];
  if (sources.filter((source) => source !== undefined).length !== 1)
    throw new CliError({
      explanation:
        "`replay` needs one of --message FILE (a saved message body or bucket object), --queue-url URL (the mapping's on-failure queue) or --dead-letter-bucket NAME (its on-failure bucket).",
    });
  if (options.prefix !== undefined && options.deadLetterBucket === undefined)
    throw new CliError({ explanation: '`replay --prefix` goes with --dead-letter-bucket.' });
  if (options.queueUrl !== undefined) return drainQueue({ ...options, queueUrl: options.queueUrl });
  if (options.deadLetterBucket !== undefined)
    return drainBucket({ ...options, deadLetterBucket: options.deadLetterBucket });
  const file = options.message as string;
  const body = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new CliError({
      explanation: `Cannot read --message ${file} (${(error as Error).message}): save the body of the on-failure queue's message there.`,
    });
  });
  return withProjection(options, async (projection, connection) => {
    const result = await replayDeadLetter({
      streamsClient: await connection.streamsClient('replay'),
      handler: (records, batch) => projection.processRecords(records, batch),
      deadLetter: body,
      filter: countingStreamFilter,
      ...(await eventStreamArn(connection, options)),
    }).catch((error: unknown) => {
      if (!isCounterError(error, 'ReplayIncomplete')) throw error;
      throw new CliError({ explanation: error.message });
    });
    out(replayedLine(result));
    return verdict(result, 'replay again');
  });
};
