#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';

import { describeCliError } from './cliError.js';
import { demoCommand } from './commands/demo.js';
import {
  countsGetCommand,
  countsListCommand,
  rebuildCommand,
  runCommand,
} from './commands/project.js';
import { tablesCreateCommand } from './commands/tables.js';
import { currentEndpoint } from './connection.js';

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
  .showHelpAfterError();

program
  .command('demo', { isDefault: true })
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
  .action(async (options) => {
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
  .action(tablesCreateCommand);

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
  .action(runCommand);

program
  .command('rebuild')
  .description('count every event already in the event table (safe while `run` runs)')
  .addOption(countersOption())
  .requiredOption('--event-table <name>')
  .requiredOption('--counts-table <name>')
  .option('--segments <n>', 'parallel scan segments', positiveInteger, 4)
  .addOption(endpointOption())
  .action(rebuildCommand);

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
  .action(countsGetCommand);
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
  .action(countsListCommand);

program.parseAsync().catch((error: unknown) => {
  console.error(describeCliError(error, { endpoint: currentEndpoint() }));
  if (process.env.DEBUG !== undefined) console.error(error);
  process.exitCode =
    process.exitCode === undefined || process.exitCode === 0 ? 1 : process.exitCode;
});
