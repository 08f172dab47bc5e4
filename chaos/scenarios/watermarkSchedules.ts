import fc from 'fast-check';

import {
  checkWatermarkSchedule,
  watermarkScheduleArbitrary,
} from '../../test/support/watermarkSchedule.js';
import { makeClients } from '../setUp.js';

/** What the shard-watermark schedules did, added up, and what went wrong (nothing, we hope). */
export interface WatermarkVerdict {
  schedules: number;
  /** Schedules in the refused setting: dead letters replayed after the watermark passed them. */
  withDeadLetters: number;
  deliveries: number;
  failedDeliveries: number;
  deadLetters: number;
  setAside: number;
  /** Deliveries that held a record an earlier delivery decided (RecordInDoubt). */
  held: number;
  /** Schedules with a rebuild beginning beside the first delivery. */
  rebuilt: number;
  /** Schedules whose watermark counter refused its reads (CounterNotExact): allowed only with dead letters. */
  refused: number;
  failedSchedules: number;
  problems: string[];
}

/**
 * The model-based property of test/counterProjection/shardWatermark.property.int.test.ts at
 * full size: random shards and consumer steps (claimed deliveries, runners killed before
 * their checkpoint, failed writes, rewinds, a module that now throws, a rebuild beside the
 * first delivery, records set aside, dead letters), each checked against its model.
 */
export const watermarkSchedules = async ({
  endpoint,
  schedules,
  seed = 25,
}: {
  endpoint: string;
  schedules: number;
  seed?: number;
}): Promise<WatermarkVerdict> => {
  const { client } = makeClients(endpoint);
  const verdict: WatermarkVerdict = {
    schedules: 0,
    withDeadLetters: 0,
    deliveries: 0,
    failedDeliveries: 0,
    deadLetters: 0,
    setAside: 0,
    held: 0,
    rebuilt: 0,
    refused: 0,
    failedSchedules: 0,
    problems: [],
  };
  try {
    for (const schedule of fc.sample(watermarkScheduleArbitrary, { numRuns: schedules, seed })) {
      const outcome = await checkWatermarkSchedule(schedule, { dynamoDBClient: client });
      verdict.schedules += 1;
      if (outcome.deadLetters > 0) verdict.withDeadLetters += 1;
      verdict.deliveries += outcome.deliveries;
      verdict.failedDeliveries += outcome.failedDeliveries;
      verdict.deadLetters += outcome.deadLetters;
      verdict.setAside += outcome.setAside;
      verdict.held += outcome.held;
      if (outcome.rebuilt) verdict.rebuilt += 1;
      if (outcome.refused) verdict.refused += 1;
      if (outcome.problems.length > 0) {
        verdict.failedSchedules += 1;
        verdict.problems.push(`${outcome.problems.join('; ')} in ${JSON.stringify(schedule)}`);
      }
    }
  } finally {
    client.destroy();
  }
  return verdict;
};
