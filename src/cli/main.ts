import { CommanderError } from 'commander';

import { describeValue } from '../shared/index.js';
import { describeCliError } from './cliError.js';
import { endpointOf } from './frame/withConnection.js';
import { type CliIo, consoleIo, runWithIo } from './io.js';
import { buildProgram, type CommandOutcome } from './program.js';

/**
 * Runs the CLI on `argv` (the arguments after the command's name) and resolves to its
 * exit code; what it prints goes to `io` (the console by default). A failure is one line
 * on io.err (DEBUG=1 adds the error's stack and its causes'), never a thrown error.
 */
export const main = (argv: readonly string[], io: CliIo = consoleIo): Promise<number> =>
  runWithIo(io, async () => {
    const outcome: CommandOutcome = { exitCode: 0 };
    const program = buildProgram(outcome, io);
    const ran = recordWhatRuns(program);
    try {
      await program.parseAsync([...argv], { from: 'user' });
      return outcome.exitCode;
    } catch (error) {
      // commander has printed its own message (a usage error, --help, --version).
      if (error instanceof CommanderError) return error.exitCode;
      io.err(describeCliError(error, { endpoint: endpointOf(error), ...ran }));
      if (process.env.DEBUG !== undefined) io.err(debugText(error));
      return outcome.exitCode === 0 ? 1 : outcome.exitCode;
    }
  });

/** What the error line may name: the command that ran and the tables it was given. */
const recordWhatRuns = (program: ReturnType<typeof buildProgram>) => {
  const ran: { command?: string; tables?: string[]; maxRetries?: number } = {};
  program.hook('preAction', (_, actionCommand) => {
    ran.command = actionCommand.name();
    const options = actionCommand.opts<Record<string, unknown>>();
    ran.tables = ['eventTable', 'countsTable', 'checkpointTable'].flatMap((name) =>
      typeof options[name] === 'string' ? [options[name]] : [],
    );
    if (typeof options.maxRetries === 'number') ran.maxRetries = options.maxRetries;
  });
  return ran;
};

/** DEBUG's text of an error: its stack, then each cause's (an UndeliverableRecords carries why). */
const debugText = (error: unknown): string => {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    const text =
      current instanceof Error ? (current.stack ?? String(current)) : describeValue(current);
    lines.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
};
