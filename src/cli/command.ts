import type { Command } from 'commander';

/**
 * One command of the CLI, each in a file of its own in `commands/` (listed in
 * `commands/index.ts`): where it sits (`['tables', 'create']`), its description and flags,
 * and what it does. `program.ts` registers every one the same way.
 */
export interface CliCommand<OPTIONS> {
  path: readonly [string] | readonly [string, string];
  /** The description and the flags, on the command commander made for `path`. */
  define: (command: Command) => Command;
  /**
   * What it does, with the options commander parsed (its parsers in `options.ts` checked
   * them); resolves to the exit code. A module that loads an
   * optional peer (the stream runner, the example) is loaded here, through
   * `frame/optionalModules.ts`, never at the top of the file: `--help` and the other
   * commands work without it.
   */
  action: (options: OPTIONS) => Promise<number>;
}

/** A command with the type of its options kept (the list of commands forgets it). */
export const defineCommand = <OPTIONS>(command: CliCommand<OPTIONS>): CliCommand<OPTIONS> =>
  command;

/** Any command of the list: its options are only known to its own file. */
export type AnyCliCommand = CliCommand<never>;
