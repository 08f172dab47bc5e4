import { loadForCommand } from './loadForCommand.js';

/** What a command's action leaves for main() to return: its exit code. */
export interface CommandOutcome {
  exitCode: number;
}

/**
 * A command's action that loads the command's file when it runs (`loadForCommand`: a
 * missing optional peer said in one line) and leaves the exit code it resolves to.
 */
export const exitCodeAction =
  <OPTIONS>(
    outcome: CommandOutcome,
    command: string,
    load: () => Promise<(options: OPTIONS) => Promise<number>>,
  ) =>
  async (options: OPTIONS): Promise<void> => {
    const run = await loadForCommand(command, load);
    outcome.exitCode = await run(options);
  };
