import type { DrainStop, ReplayResult } from '../../streamRunner/index.js';
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

/** Where a drain's dead letters wait, as its lines name them. */
export interface DrainSource {
  /** One dead letter: "Message", "Object". */
  item: string;
  /** Several: "messages", "objects". */
  items: string;
  /** Where they wait: "queue", "bucket". */
  place: string;
  /** How an operator removes the rest once rebuilt: "purged", "deleted". */
  cleared: string;
}

export const QUEUE: DrainSource = {
  item: 'Message',
  items: 'messages',
  place: 'queue',
  cleared: 'purged',
};
export const BUCKET: DrainSource = {
  item: 'Object',
  items: 'objects',
  place: 'bucket',
  cleared: 'deleted',
};

/** Each dead letter drained, as it is replayed. */
export const drainedLine = (
  source: DrainSource,
  { id, replay, deleted }: { id: string; replay: ReplayResult; deleted: boolean },
): string => `${source.item} ${id}: ${replayedLine(replay)}${deleted ? ' Deleted.' : ''}`;

/**
 * What a drain says once it ends, and its exit code: 0 when every dead letter was replayed,
 * else the one it stopped at, which stays where it waits (1: still failing or not a dead
 * letter; 2: records past the stream's retention).
 */
export const drainVerdict = (
  source: DrainSource,
  result: { deleted: number; replayed: number },
  stop: (DrainStop<object> & { id: string }) | undefined,
): number => {
  out(
    `${result.deleted} ${source.items} replayed (${result.replayed} records) and deleted from the ${source.place}.`,
  );
  if (stop === undefined) return 0;
  const what = `${source.item} ${stop.id}`;
  if (!('replay' in stop)) {
    const why = (stop.error as Error).message;
    out(
      stop.reason === 'invalid'
        ? `${what} is not a dead letter of a stream this projection reads (${why}); it stays in the ${source.place}: look at it, and replay a dead letter of another stream with the handler of that stream.`
        : `${what} stays in the ${source.place}: ${why}`,
    );
    return 1;
  }
  const code = verdict(stop.replay, 'run replay again');
  out(
    code === 2
      ? `${what} stays in the ${source.place}: once \`rebuild\` has run, it and every older ${source.item.toLowerCase()} can be ${source.cleared}.`
      : `${what} stays in the ${source.place}.`,
  );
  return code;
};
