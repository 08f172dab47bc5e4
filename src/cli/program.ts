import { Command } from 'commander';

import type { AnyCliCommand } from './command.js';
import { commands } from './commands/index.js';
import type { CliIo } from './io.js';
import { packageVersion } from './version.js';

/** What a command's action leaves for main() to return: its exit code. */
export interface CommandOutcome {
  exitCode: number;
}

/** The commands that group others (`tables create`, `counts get`). */
const GROUPS: Record<string, string> = { tables: 'manage the tables', counts: 'read counts' };

/**
 * The CLI's commands, each registered from its file in `commands/`. Usage errors, --help
 * and --version throw CommanderError instead of exiting, and commander prints to io: set
 * before the commands are added, since each inherits them when created.
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
  for (const command of commands) register(program, command, outcome);
  return program;
};

const register = (program: Command, command: AnyCliCommand, outcome: CommandOutcome): void => {
  const [first, second] = command.path;
  const parent = second === undefined ? program : groupOf(program, first);
  command
    .define(parent.command(second ?? first))
    .action(async (options: Record<string, unknown>) => {
      // commander's parsers checked the values; the command's file declares their type.
      outcome.exitCode = await command.action(options as never);
    });
};

const groupOf = (program: Command, name: string): Command =>
  program.commands.find((command) => command.name() === name) ??
  program.command(name).description(GROUPS[name] ?? name);
