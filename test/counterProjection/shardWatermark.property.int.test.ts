import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { useDynamoDB } from '../support/dynamoDB.js';
import {
  checkWatermarkSchedule,
  watermarkScheduleArbitrary,
} from '../support/watermarkSchedule.js';

const { client: dynamoDBClient } = useDynamoDB();

describe('shardWatermark counters against their model (property, DynamoDB Local; failed transactions are a fake)', () => {
  it('count exactly in the accepted setting, and where dead letters are replayed a read is exact or refuses, never wrong', async () => {
    await fc.assert(
      fc.asyncProperty(watermarkScheduleArbitrary, async (schedule) => {
        const outcome = await checkWatermarkSchedule(schedule, { dynamoDBClient });
        expect(outcome.problems).toEqual([]);
      }),
      // Seeded: CI plays the same 30 schedules every run; `npm run chaos` plays 500 others.
      { numRuns: 30, seed: 20_261_130 },
    );
  }, 240_000);
});
