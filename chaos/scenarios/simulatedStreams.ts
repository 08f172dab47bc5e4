import fc from 'fast-check';

import { createEventTable } from '../../src/adapter/index.js';
import { dropTables } from '../../src/dynamoDBLocal/dropTables.js';
import { checkSchedule, scheduleArbitrary } from '../../test/support/runnerSchedule.js';
import { makeClients } from '../setUp.js';

/** What the simulated-Streams schedules did, added up, and what went wrong (nothing, we hope). */
export interface SimulatedStreamsVerdict {
  schedules: number;
  recordsWritten: number;
  recordsHandled: number;
  rollovers: number;
  splits: number;
  recordsTrimmed: number;
  trimmedBeforeRead: number;
  iteratorsExpired: number;
  throttledReads: number;
  emptyPages: number;
  runnerKills: number;
  runnerRuns: number;
  retentionGapsReported: number;
  /** Schedules with a problem: a record never handled, a child before its parent, an excluded record, wrong counts, a runner stopped. */
  failedSchedules: number;
  problems: string[];
}

/**
 * Random schedules of AWS's stream behaviours (rollovers, splits, trims past the 24-hour
 * retention, expired iterators, throttling, empty pages, runners killed between a batch
 * and its checkpoint, two runners), each checked against its model: see runnerSchedule.ts.
 */
export const simulatedStreams = async ({
  endpoint,
  schedules,
  seed = 42,
}: {
  endpoint: string;
  schedules: number;
  seed?: number;
}): Promise<SimulatedStreamsVerdict> => {
  const { client, streamsClient } = makeClients(endpoint);
  const eventTableName = `chaos-sim-events-${seed}-${Date.now()}`;
  const verdict: SimulatedStreamsVerdict = {
    schedules: 0,
    recordsWritten: 0,
    recordsHandled: 0,
    rollovers: 0,
    splits: 0,
    recordsTrimmed: 0,
    trimmedBeforeRead: 0,
    iteratorsExpired: 0,
    throttledReads: 0,
    emptyPages: 0,
    runnerKills: 0,
    runnerRuns: 0,
    retentionGapsReported: 0,
    failedSchedules: 0,
    problems: [],
  };
  try {
    await createEventTable({ dynamoDBClient: client, tableName: eventTableName }); // where the runner finds a stream ARN
    for (const schedule of fc.sample(scheduleArbitrary, { numRuns: schedules, seed })) {
      const outcome = await checkSchedule(schedule, { dynamoDBClient: client, eventTableName });
      verdict.schedules += 1;
      verdict.recordsWritten += outcome.written;
      verdict.recordsHandled += outcome.handled;
      verdict.rollovers += outcome.stats.rollovers;
      verdict.splits += outcome.stats.splits;
      verdict.recordsTrimmed += outcome.stats.trims;
      verdict.trimmedBeforeRead += outcome.lostToRetention;
      verdict.iteratorsExpired += outcome.stats.expiries;
      verdict.throttledReads += outcome.stats.throttled;
      verdict.emptyPages += outcome.stats.emptyPages;
      verdict.runnerKills += outcome.stats.kills;
      verdict.runnerRuns += outcome.stats.runs;
      verdict.retentionGapsReported += outcome.stats.gaps;
      if (outcome.problems.length > 0) {
        verdict.failedSchedules += 1;
        verdict.problems.push(`${outcome.problems.join('; ')} in ${JSON.stringify(schedule)}`);
      }
    }
  } finally {
    await dropTables(client, [eventTableName]);
    client.destroy();
    streamsClient.destroy();
  }
  return verdict;
};
