import { readFile } from 'node:fs/promises';

import { countingStreamFilter } from '../../counterProjection/index.js';
import { CounterError, isCounterError } from '../../shared/index.js';
import { defineCommand } from '../command.js';
import { streamRunnerModule } from '../frame/optionalModules.js';
import { type ProjectionOptions, withProjection } from '../frame/withProjection.js';
import { out } from '../io.js';
import { countersOption, endpointOption, positiveInteger } from '../options.js';
import { replayedLine, verdict } from '../output/replayLines.js';
import { drainBucket } from '../replay/drainBucket.js';
import { drainQueue } from '../replay/drainQueue.js';
import { eventStreamArn, type ReplayStreamOptions } from '../replay/eventStreamArn.js';
import { countersOf, exactnessVerdict } from '../replay/exactnessVerdict.js';

export type ReplayOptions = ProjectionOptions &
  ReplayStreamOptions & {
    message?: string;
    queueUrl?: string;
    deadLetterBucket?: string;
    prefix?: string;
    maxMessages?: number;
  };

const replayCommand = async (options: ReplayOptions): Promise<number> => {
  const sources = [options.message, options.queueUrl, options.deadLetterBucket];
  if (sources.filter((source) => source !== undefined).length !== 1)
    throw new CounterError('CliUsage', {
      explanation:
        "`replay` needs one of --message FILE (a saved message body or bucket object), --queue-url URL (the mapping's on-failure queue) or --dead-letter-bucket NAME (its on-failure bucket).",
    });
  if (options.prefix !== undefined && options.deadLetterBucket === undefined)
    throw new CounterError('CliUsage', {
      explanation: '`replay --prefix` goes with --dead-letter-bucket.',
    });
  if (options.queueUrl !== undefined) return drainQueue({ ...options, queueUrl: options.queueUrl });
  if (options.deadLetterBucket !== undefined)
    return drainBucket({ ...options, deadLetterBucket: options.deadLetterBucket });
  const file = options.message as string;
  const body = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new CounterError('CliUsage', {
      explanation: `Cannot read --message ${file} (${(error as Error).message}): save the body of the on-failure queue's message there.`,
    });
  });
  const { replayDeadLetter } = await streamRunnerModule('replay');
  return withProjection(options, async (projection, connection) => {
    const result = await replayDeadLetter({
      streamsClient: await connection.streamsClient('replay'),
      handler: (records, batch) => projection.processRecords(records, batch),
      deadLetter: body,
      filter: countingStreamFilter,
      ...(await eventStreamArn(connection, options)),
    }).catch((error: unknown) => {
      if (!isCounterError(error, 'ReplayIncomplete')) throw error;
      throw new CounterError('CliUsage', { explanation: error.message });
    });
    out(replayedLine(result));
    const code = verdict(result, 'replay again');
    return exactnessVerdict(connection, countersOf(options, projection), code);
  });
};

/**
 * `replay`: counts dead-lettered batches again, from one dead letter saved to a file (a
 * message's body, or an object of an S3 destination), from the mapping's on-failure queue
 * (drained message by message) or from its on-failure bucket (drained object by object).
 * Exit 0 when every record was counted; 1 when the handler still fails (or a dead letter is
 * not one); 2 when records were past the stream's retention, or a counter is left not exact
 * (a shardWatermark counter, which a replay cannot count into: rebuild it).
 */
export const replay = defineCommand({
  path: ['replay'],
  define: (command) =>
    command
      .description(
        "count dead-lettered batches again: one saved to a file, or the mapping's on-failure queue or bucket, drained",
      )
      .addOption(countersOption())
      .requiredOption('--counts-table <name>')
      .option(
        '--message <file>',
        "a file holding a message's body (its DDBStreamBatchInfo), or an object of the on-failure bucket",
      )
      .option(
        '--queue-url <url>',
        'the on-failure queue: each message deleted once its records are counted',
      )
      .option(
        '--dead-letter-bucket <name>',
        'the on-failure bucket (S3): each object, oldest first, deleted once its records are counted',
      )
      .option(
        '--prefix <prefix>',
        "with --dead-letter-bucket: where its objects are (default aws/lambda/, Lambda's)",
      )
      .option(
        '--max-messages <n>',
        'with --queue-url or --dead-letter-bucket: stop after this many',
        positiveInteger,
      )
      .option(
        '--event-table <name>',
        "the event table: a message of another stream (the reactions' counts table) is refused",
      )
      .addOption(endpointOption()),
  action: replayCommand,
});
