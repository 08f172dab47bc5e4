import { isCounterError } from '../shared/index.js';
import type { StreamFilterPattern } from './filterPattern.js';
import type { StreamHandler } from './invokeBatch.js';
import { replayDeadLetter, type ReplayDeadLetterOptions, type ReplayResult } from './replay.js';

/**
 * Your client of an optional peer (@aws-sdk/client-sqs, @aws-sdk/client-s3), needed only by
 * a drain: typed by the one method the drain calls, so that `/stream-runner` compiles
 * without the package.
 */
export interface SendingClient {
  send: (command: never) => Promise<unknown>;
}

/** What every drain takes, wherever its dead letters wait. */
export interface DrainOptions {
  /** Usually `(records, batch) => projection.processRecords(records, batch)`. */
  handler: StreamHandler;
  /** The mapping's filter pattern, as replayDeadLetter takes it. */
  filter?: StreamFilterPattern;
  /** The stream the handler serves: a dead letter of another stream stops the drain (`invalid`). */
  streamArn?: string;
}

/** What a drain tells of each dead letter it replayed (`AT` names it), deleted or not. */
export type DrainOutcome<AT> = AT & { replay: ReplayResult; deleted: boolean };

/** Sends a command of that package with the client given (typed loosely: see SendingClient). */
export const sendWith = <OUTPUT = unknown>(
  client: SendingClient,
  command: object,
): Promise<OUTPUT> => client.send(command as never) as Promise<OUTPUT>;

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
