import type { FailedRecordLog } from '../../counterProjection/index.js';
import { err } from '../io.js';

/**
 * The projection's logger for `run`: a record that keeps failing (a counter whose key
 * throws on a payload typo, retried until fixed) is said once, in one line with its
 * reason, then only how often it failed again, at doubling counts, instead of a stack
 * trace every retry.
 */
export const failureLog = (print: (line: string) => void = err) => {
  let last: { line: string; repeats: number } | undefined;
  return {
    error: (message: string, { errorCode, errorMessage }: FailedRecordLog): void => {
      const line = `${message}: ${errorCode}: ${errorMessage}`;
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
