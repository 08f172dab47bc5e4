// In a file of its own, as `run`: it reads the stream (the optional streams client).
import { readFile } from 'node:fs/promises';

import { replayDeadLetter } from '../../streamRunner/index.js';
import { CliError } from '../cliError.js';
import { type ProjectionOptions, withProjection } from './project.js';

/**
 * `replay`: counts a dead-lettered batch again from the body of a message of the mapping's
 * on-failure queue (saved to a file). Exit 0 when every record was counted; 1 when the
 * handler still fails; 2 when records were past the stream's retention (lost to replay).
 */
export const replayCommand = async (
  options: ProjectionOptions & { message: string },
): Promise<number> => {
  const body = await readFile(options.message, 'utf8').catch((error: unknown) => {
    throw new CliError({
      explanation: `Cannot read --message ${options.message} (${(error as Error).message}): save the body of the on-failure queue's message there.`,
    });
  });
  return withProjection(options, async (projection, connection) => {
    const result = await replayDeadLetter({
      streamsClient: await connection.streamsClient('replay'),
      handler: (records) => projection.processRecords(records),
      deadLetter: body,
    });
    console.log(
      `Replayed ${result.replayed} of the ${result.expected} records of shard ${result.shardId}.`,
    );
    if (result.failedAt !== undefined) {
      console.log(
        `Record ${result.failedAt} still fails (see the error above): fix it and replay again.`,
      );
      return 1;
    }
    if (result.lost > 0) {
      console.log(
        `${result.lost} records were past the stream's 24-hour retention: count them with \`rebuild\` (it counts only what was not counted).`,
      );
      return 2;
    }
    return 0;
  });
};
