#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';

import { describeCliError } from './cliError.js';
import { currentEndpoint } from './connection.js';
import { loadForCommand } from './loadForCommand.js';
import { packageVersion } from './version.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const positiveInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected an integer >= 1.');
  return parsed;
};

const endpointOption = () =>
  new Option(
    '--endpoint <url>',
    'a running DynamoDB (Local or compatible); AWS (usual AWS environment) when absent',
  ).env('DYNAMODB_ENDPOINT');
const countersOption = () =>
  new Option(
    '--counters <module>',
    'a module exporting `counters` and `sourceEventStores`',
  ).makeOptionMandatory();
const windowOption = () =>
  new Option('--window <window>', 'a time window of the counter').choices([
    'minute',
    'hour',
    'day',
  ]);

const program = new Command('castore-dynamodb-counter')
  .description('Exactly-once counters on the DynamoDB stream of a Castore event table.')
  .version(packageVersion())
  .showHelpAfterError();

program
  .command('demo')
  .description(
    'run the whole pipeline on an embedded DynamoDB Local (or --endpoint) and check every count',
  )
  .option('--events <n>', 'how many events to push', positiveInteger, 5_000)
  .option('--concurrency <n>', 'pushes in flight', positiveInteger, 16)
  .option('--seed <n>', 'seed of the workload', positiveInteger, 42)
  .option(
    '--port <n>',
    'port of the embedded DynamoDB Local (a free one when absent)',
    positiveInteger,
  )
  .addOption(endpointOption())
  .option('--keep', 'with --endpoint: keep the tables of the run (dropped by default)')
  .action(async (options) => {
    const { demoCommand } = await loadForCommand('demo', () => import('./commands/demo.js'));
    process.exitCode = await demoCommand(options);
  });

const tables = program.command('tables').description('manage the tables');
tables
  .command('create')
  .description(
    'create the event table (with its stream), the counts table and the checkpoint table',
  )
  .requiredOption('--event-table <name>')
  .requiredOption('--counts-table <name>')
  .requiredOption('--checkpoint-table <name>')
  .addOption(endpointOption())
  .action(async (options) =>
    (
      await loadForCommand('tables create', () => import('./commands/tables.js'))
    ).tablesCreateCommand(options),
  );

program
  .command('run')
  .description('project the live stream of the event table with your counters, until stopped')
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
    'retries of a failing batch before the run stops (-1: until it succeeds)',
    (v) => (v === '-1' ? -1 : positiveInteger(v)),
    -1,
  )
  .option(
    '--batching-window <ms>',
    'how long to gather records before a smaller batch (Lambda: MaximumBatchingWindow)',
    (v) => (v === '0' ? 0 : positiveInteger(v)),
    0,
  )
  .addOption(endpointOption())
  .action(async (options) =>
    (await loadForCommand('run', () => import('./commands/run.js'))).runCommand(options),
  );

program
  .command('status')
  .description(
    'where each consumer of the event table stream stands, per shard; with --max-lag, a health check (exit 2 past it)',
  )
  .requiredOption('--event-table <name>')
  .requiredOption('--checkpoint-table <name>')
  .option('--consumer <name>', 'one consumer (every consumer with a checkpoint when absent)')
  .option(
    '--max-lag <seconds>',
    'exit 2 when a consumer has a record waiting for longer than this',
    (v) => (v === '0' ? 0 : positiveInteger(v)),
  )
  .addOption(endpointOption())
  .action(async (options) => {
    const { statusCommand } = await loadForCommand('status', () => import('./commands/status.js'));
    process.exitCode = await statusCommand(options);
  });

program
  .command('rebuild')
  .description('count every event already in the event table (safe while `run` runs)')
  .addOption(countersOption())
  .requiredOption('--event-table <name>')
  .requiredOption('--counts-table <name>')
  .option('--segments <n>', 'parallel scan segments', positiveInteger, 4)
  .addOption(endpointOption())
  .action(async (options) =>
    (await loadForCommand('rebuild', () => import('./commands/project.js'))).rebuildCommand(
      options,
    ),
  );

const counts = program.command('counts').description('read counts');
counts
  .command('get')
  .description('read counts of keys of a counter')
  .addOption(countersOption())
  .requiredOption('--counts-table <name>')
  .requiredOption('--counter <name>')
  .requiredOption('--key <key...>', 'one or more keys')
  .addOption(windowOption())
  .option('--bucket <time>', 'with --window: a time or bucket (now when absent)')
  .addOption(endpointOption())
  .action(async (options) =>
    (await loadForCommand('counts get', () => import('./commands/project.js'))).countsGetCommand(
      options,
    ),
  );
counts
  .command('list')
  .description('list the buckets of a window (--window), or the refs a key counted')
  .addOption(countersOption())
  .requiredOption('--counts-table <name>')
  .requiredOption('--counter <name>')
  .requiredOption('--key <key>')
  .addOption(windowOption())
  .option('--from <time>', 'with --window: start (24 h before --to by default)')
  .option('--to <time>', 'with --window: end (now by default)')
  .option('--limit <n>', 'refs to list', positiveInteger, 100)
  .addOption(endpointOption())
  .action(async (options) =>
    (await loadForCommand('counts list', () => import('./commands/project.js'))).countsListCommand(
      options,
    ),
  );

// What the error line may name: the command that ran and the tables it was given.
const ran: { command?: string; tables?: string[] } = {};
program.hook('preAction', (_, actionCommand) => {
  ran.command = actionCommand.name();
  const options = actionCommand.opts<Record<string, unknown>>();
  ran.tables = ['eventTable', 'countsTable', 'checkpointTable'].flatMap((name) =>
    typeof options[name] === 'string' ? [options[name]] : [],
  );
});

program.parseAsync().catch((error: unknown) => {
  console.error(describeCliError(error, { endpoint: currentEndpoint(), ...ran }));
  if (process.env.DEBUG !== undefined) console.error(error);
  process.exitCode =
    process.exitCode === undefined || process.exitCode === 0 ? 1 : process.exitCode;
});
