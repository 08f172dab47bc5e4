import type { ReplayResult } from '../../streamRunner/index.js';
import { out } from '../io.js';

/** What `replay` says of one dead-lettered batch, as one message or from the queue. */
export const replayedLine = (result: ReplayResult): string =>
  `Replayed ${result.replayed} of the ${result.expected} records of shard ${result.shardId}.`;

/** The exit code of a replay, after saying what to do when it is not 0. */
export const verdict = (result: ReplayResult, retry: string): number => {
  if (result.failedAt !== undefined) {
    out(`Record ${result.failedAt} still fails (see the error above): fix it and ${retry}.`);
    return 1;
  }
  if (result.lost > 0) {
    out(
      `${result.lost} records were past the stream's 24-hour retention: count them with \`rebuild\` (it counts only what was not counted).`,
    );
    return 2;
  }
  return 0;
};
