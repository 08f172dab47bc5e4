import { AsyncLocalStorage } from 'node:async_hooks';

/** Where the CLI writes: a line to standard output, a line to standard error. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const consoleIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

// The io of the main() call this code runs under: each call's commands write to its own,
// even with two calls at once in one process (tests), without passing it through every
// function of every command.
const current = new AsyncLocalStorage<CliIo>();

export const runWithIo = <T>(io: CliIo, run: () => Promise<T>): Promise<T> => current.run(io, run);

/** Prints a line on the current main()'s standard output. */
export const out = (line: string): void => (current.getStore() ?? consoleIo).out(line);

/** Prints a line on the current main()'s standard error. */
export const err = (line: string): void => (current.getStore() ?? consoleIo).err(line);
