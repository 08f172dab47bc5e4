import { describe, expect, it } from 'vitest';

import { redelivery, throttling } from '../../chaos/scenarios/inProcess.js';
import { dynamoDBEndpoint } from '../support/dynamoDB.js';
import { expectNothingLost, expectReactionsExact } from './chaosVerdicts.js';

/** Short versions of `npm run chaos`'s faults injected in the process: the same scenarios, smaller. */
describe('chaos, short versions: deliveries and calls gone wrong', () => {
  it('batches of both streams delivered 1 to 3 times, re-split: counts and reactions exact', async () => {
    const verdict = await redelivery({ endpoint: dynamoDBEndpoint(), events: 500 });
    expectNothingLost(verdict);
    expectReactionsExact(verdict);
    expect(verdict.duplicatesInjected).toBeGreaterThan(60);
  }, 300_000);

  it('half of the calls throttled or conflicting: what fails past the retries reaches the dead letter, and nothing vanishes', async () => {
    const verdict = await throttling({
      endpoint: dynamoDBEndpoint(),
      events: 800,
      failureShare: 0.5,
    });
    expectNothingLost(verdict);
    expect(verdict.faults).toBeGreaterThan(5);
    expect(verdict.deadLettered).toBeGreaterThan(0);
    // The dead letters were replayed through the mapping's filter, past records it dropped.
    expect(verdict.scenario).toMatch(/, [1-9]\d* MODIFY records filtered out$/);
  }, 300_000);
});
