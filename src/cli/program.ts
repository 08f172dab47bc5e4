import { Command } from 'commander';

import { listSpansSaid } from '../counterProjection/index.js';
import { type CommandOutcome, exitCodeAction } from './commandOutcome.js';
import type { CliIo } from './io.js';
import { loadForCommand } from './loadForCommand.js';
import { countersOption, endpointOption, positiveInteger, windowOption } from './options.js';
import { addStreamCommands } from './streamCommands.js';
import { packageVersion } from './version.js';

/**
 * The CLI's commands and options; actions load their command's module when they run.
 * Usage errors, --help and --version throw CommanderError instead of exiting, and commander
 * prints to io: set before the commands are added, since each inherits them when created.
 */
export const buildProgram = (outcome: CommandOutcome, io: CliIo): Command => {
  const program = new Command('castore-dynamodb-counter')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    })
    .description('Exactly-once counters on the DynamoDB stream of a Castore event table.')
    .version(packageVersion())
    .showHelpAfterError();

  addDemoCommand(program, outcome);
  addTablesCommand(program);
  addStreamCommands(program, outcome);
  addRebuildCommand(program);
  addVerifyCommand(program, outcome);
  addCountsCommands(program);
  return program;
};

const addDemoCommand = (program: Command, outcome: CommandOutcome): void => {
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
      // The example's stores first, then the runner: each missing peer is named in that order,
      // whichever the module loader would have reached first.
      const { demoCommand } = await loadForCommand('demo', async () => {
        await import('../example/index.js');
        return import('./commands/demo.js');
      });
      outcome.exitCode = await demoCommand(options);
    });
};

const addTablesCommand = (program: Command): void => {
  const tables = program.command('tables').description('manage the tables');
  tables
    .command('create')
    .description(
      'create the tables named: the event table (with its stream), the counts table, the checkpoint table',
    )
    .option('--event-table <name>')
    .option('--counts-table <name>')
    .option('--checkpoint-table <name>')
    .option('--reactions', 'give the counts table the stream reactions read (thresholds, targets)')
    .addOption(endpointOption())
    .action(async (options) =>
      (
        await loadForCommand('tables create', () => import('./commands/tables.js'))
      ).tablesCreateCommand(options),
    );
};

const addRebuildCommand = (program: Command): void => {
  program
    .command('rebuild')
    .description('count every event already in the event table (safe while `run` runs)')
    .addOption(countersOption())
    .requiredOption('--event-table <name>')
    .requiredOption('--counts-table <name>')
    .option('--counter <name...>', "the counters to rebuild (all the module's by default)")
    .option('--segments <n>', 'parallel scan segments', positiveInteger, 4)
    .addOption(endpointOption())
    .action(async (options) =>
      (await loadForCommand('rebuild', () => import('./commands/project.js'))).rebuildCommand(
        options,
      ),
    );
};

const addVerifyCommand = (program: Command, outcome: CommandOutcome): void => {
  program
    .command('verify')
    .description(
      'recount the counters from the event table and compare with the counts table (reads only); exits 2 on any difference',
    )
    .addOption(countersOption())
    .requiredOption('--event-table <name>')
    .requiredOption('--counts-table <name>')
    .option('--counter <name...>', "the counters to verify (all the module's by default)")
    .option('--segments <n>', 'parallel scan segments, for each table', positiveInteger, 4)
    .addOption(endpointOption())
    .action(
      exitCodeAction(
        outcome,
        'verify',
        async () => (await import('./commands/verify.js')).verifyCommand,
      ),
    );
};

const addCountsCommands = (program: Command): void => {
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
    .option(
      '--from <time>',
      `with --window: start, a time or bucket (by default, before --to: ${listSpansSaid()})`,
    )
    .option('--to <time>', 'with --window: end, a time or bucket (now by default)')
    .option('--limit <n>', 'refs to list', positiveInteger, 100)
    .addOption(endpointOption())
    .action(async (options) =>
      (
        await loadForCommand('counts list', () => import('./commands/project.js'))
      ).countsListCommand(options),
    );
};
