import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { useDynamoDB } from '../support/dynamoDB.js';
import { checkSchedule, scheduleArbitrary } from '../support/runnerSchedule.js';

const { client: dynamoDBClient, createTestEventTable } = useDynamoDB();
let eventTableName: string;
beforeAll(async () => {
  eventTableName = await createTestEventTable();
});

describe('the stream runner and the projection on AWS’s stream (property, simulated Streams API)', () => {
  it('handles every record written after the start, parents before children, nothing excluded, counts exact, and never stops', async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArbitrary, async (schedule) => {
        const outcome = await checkSchedule(schedule, { dynamoDBClient, eventTableName });
        expect(outcome.problems).toEqual([]);
      }),
      // Seeded: CI plays the same 25 schedules every run; `npm run chaos` plays 400 others.
      { numRuns: 25, seed: 20_261_121 },
    );
  }, 240_000);
});
