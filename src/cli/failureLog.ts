/**
 * The projection's logger for `run`: a record that keeps failing (a counter whose key
 * throws on a payload typo, retried until fixed) is said once, in one line with its
 * reason, then only how often it failed again, at doubling counts, instead of a stack
 * trace every retry.
 */
export const failureLog = (print: (line: string) => void = console.error) => {
  let last: { line: string; repeats: number } | undefined;
  return {
    error: (message: unknown, error?: unknown): void => {
      const reason =
        error instanceof Error
          ? `${(error as { code?: string }).code ?? error.name}: ${error.message}`
          : String(error ?? '');
      const line = `${String(message)} ${reason}`.trim();
      if (last?.line !== line) {
        last = { line, repeats: 0 };
        print(line);
        return;
      }
      last.repeats += 1;
      if ((last.repeats & (last.repeats - 1)) === 0)
        print(`  … the same failure again (${last.repeats} repeat(s) so far)`);
    },
  };
};
