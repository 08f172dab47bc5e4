import { type Command, Option } from 'commander';

import { type CommandOutcome, exitCodeAction } from './commandOutcome.js';
import { countersOption, endpointOption, positiveInteger } from './options.js';

/** run's metrics: the projection's, as a Lambda's handler publishes them. */
const addMetricsOptions = (command: Command): Command =>
  command
    .option(
      '--metrics-namespace <name>',
      "publish the projection's metrics per batch (OldestRecordAge, RecordsFailed, …) in CloudWatch's Embedded Metric Format on stdout, as a Lambda handler does",
    )
    .option(
      '--metrics-service <name>',
      "with --metrics-namespace: the metrics' service dimension (default: the consumer)",
    );

const addRunCommand = (program: Command, outcome: CommandOutcome): void => {
  const command = program
    .command('run')
    .description(
      'project the live stream of the event table with your counters, until stopped (or caught up)',
    )
    .addOption(countersOption())
    .requiredOption('--event-table <name>')
    .requiredOption('--counts-table <name>')
    .requiredOption('--checkpoint-table <name>')
    .option('--consumer <name>', 'checkpoint name, one per projection', 'default')
    .addOption(
      new Option('--from <position>', 'where to start without a checkpoint')
        .choices(['TRIM_HORIZON', 'LATEST'])
        .default('TRIM_HORIZON'),
    )
    .option('--batch-size <n>', 'records per handler call', positiveInteger, 500)
    .option(
      '--max-retries <n>',
      'retries of a failing batch (with backoff, up to 5 s apart) before the run stops, nothing skipped (-1: until it succeeds)',
      (v) => (v === '-1' ? -1 : positiveInteger(v)),
      10,
    )
    .option(
      '--batching-window <ms>',
      'how long to gather records before a smaller batch (Lambda: MaximumBatchingWindow)',
      (v) => (v === '0' ? 0 : positiveInteger(v)),
      0,
    )
    .option(
      '--until-caught-up',
      'stop once every shard is read to its current end (and, with --reactions-table, the counts table stream after it), exit 0',
    )
    .option(
      '--reactions-table <name>',
      'when the module exports `reactions`, react as well: the event table their COUNT_REACHED events go to (the counts table needs its stream: tables create --reactions)',
    );
  addMetricsOptions(command)
    .addOption(endpointOption())
    .action(
      exitCodeAction(outcome, 'run', async () => (await import('./commands/run.js')).runCommand),
    );
};

/** `status` (and `replay`): what an operator runs when the projection lags or dead-letters. */
const addStatusCommand = (program: Command, outcome: CommandOutcome): void => {
  program
    .command('status')
    .description(
      'where each consumer of the event table stream stands, per shard; with --max-lag, a health check (exit 2 past it)',
    )
    .requiredOption('--event-table <name>')
    .requiredOption('--checkpoint-table <name>')
    .option('--consumer <name>', 'one consumer (every consumer with a checkpoint when absent)')
    .option(
      '--counts-table <name>',
      'also report counters marked not exact and records set aside (exit 2 while any)',
    )
    .option(
      '--max-lag <seconds>',
      'exit 2 when a consumer has a record waiting for longer than this',
      (v) => (v === '0' ? 0 : positiveInteger(v)),
    )
    .addOption(endpointOption())
    .action(
      exitCodeAction(
        outcome,
        'status',
        async () => (await import('./commands/status.js')).statusCommand,
      ),
    );
};

const addReplayCommand = (program: Command, outcome: CommandOutcome): void => {
  program
    .command('replay')
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
    .addOption(endpointOption())
    .action(
      exitCodeAction(
        outcome,
        'replay',
        async () => (await import('./commands/replay.js')).replayCommand,
      ),
    );
};

/** `count-set-aside`: what an operator runs once the cause of records set aside is fixed. */
const addCountSetAsideCommand = (program: Command, outcome: CommandOutcome): void => {
  program
    .command('count-set-aside')
    .description(
      "count the records that shardWatermark counters' batches set aside (they failed for a reason of their own), once fixed",
    )
    .addOption(countersOption())
    .requiredOption('--counts-table <name>')
    .addOption(endpointOption())
    .action(
      exitCodeAction(
        outcome,
        'count-set-aside',
        async () => (await import('./commands/countSetAside.js')).countSetAsideCommand,
      ),
    );
};

/** The commands that read the event table's stream (each loads the optional streams client when it runs). */
export const addStreamCommands = (program: Command, outcome: CommandOutcome): void => {
  addRunCommand(program, outcome);
  addStatusCommand(program, outcome);
  addReplayCommand(program, outcome);
  addCountSetAsideCommand(program, outcome);
};
