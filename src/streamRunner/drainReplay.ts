import { isCounterError } from '../shared/index.js';
import { replayDeadLetter, type ReplayDeadLetterOptions, type ReplayResult } from './replay.js';

/*
 * What a drain of dead letters does with each one, wherever they wait (a queue, a bucket):
 * replay it, then either mark it done (its records all counted) or stop there and keep it.
 */

/**
 * Why a drain stopped before its dead letters were all replayed: the one it stopped at stays
 * where it waits, named by `AT` (a queue's message by its `messageId`, a bucket's object by
 * its `key`).
 */
export type DrainStop<AT = { messageId: string }> = AT &
  (
    | { reason: 'failed' | 'lost'; replay: ReplayResult }
    | { reason: 'invalid' | 'incomplete'; error: unknown }
  );

export interface DrainResult<AT = { messageId: string }> {
  /** Dead letters whose records were all counted: deleted from where they waited. */
  deleted: number;
  /** Records read again and counted from them. */
  replayed: number;
  /** Undefined when every dead letter was replayed (or the drain's maximum reached). */
  stoppedAt: DrainStop<AT> | undefined;
}

/** One dead letter replayed: its records all counted (`done`), or why the drain stops at it. */
export type DrainStep =
  | { done: true; replay: ReplayResult }
  | { done: false; stop: DrainStop<object>; replay?: ReplayResult };

/**
 * Replays one dead letter for a drain. Still failing (`failed`), records past the stream's
 * retention (`lost`), not a dead letter of this stream (`invalid`) or not found whole in the
 * stream (`incomplete`) stops the drain; any other error is thrown (the dead letter kept).
 */
export const replayForDrain = async (options: ReplayDeadLetterOptions): Promise<DrainStep> => {
  let replay: ReplayResult;
  try {
    replay = await replayDeadLetter(options);
  } catch (error) {
    if (isCounterError(error, 'InvalidDeadLetter'))
      return { done: false, stop: { reason: 'invalid', error } };
    if (isCounterError(error, 'ReplayIncomplete'))
      return { done: false, stop: { reason: 'incomplete', error } };
    throw error;
  }
  if (replay.failedAt !== undefined)
    return { done: false, replay, stop: { reason: 'failed', replay } };
  if (replay.lost > 0) return { done: false, replay, stop: { reason: 'lost', replay } };
  return { done: true, replay };
};

/** The stop of a drain at one dead letter, named where it waits. */
export const stopAt = <AT extends object>(stop: DrainStop<object>, at: AT): DrainStop<AT> =>
  ({ ...stop, ...at }) as DrainStop<AT>;
