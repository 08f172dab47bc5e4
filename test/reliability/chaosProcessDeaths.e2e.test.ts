import { describe, expect, it } from 'vitest';

import { consumerDeath, serverDeath, twoRunners } from '../../chaos/scenarios/processDeaths.js';
import { dynamoDBEndpoint } from '../support/dynamoDB.js';
import { expectNothingLost, expectReactionsExact } from './chaosVerdicts.js';

/** Short versions of `npm run chaos`'s process deaths: the same scenarios, smaller. */
describe('chaos, short versions: processes killed', () => {
  it('DynamoDB Local killed with SIGKILL twice mid-run: every acknowledged event stored, no partial group, counts and reactions exact', async () => {
    const verdict = await serverDeath({ events: 1_000, kills: 2 });
    expectNothingLost(verdict);
    expectReactionsExact(verdict);
    expect(verdict.kills).toBe(2);
    expect(verdict.stored).toBeGreaterThanOrEqual(verdict.acknowledged);
  }, 300_000);

  it('the runner killed with SIGKILL twice and restarted: counts and reactions exact', async () => {
    const verdict = await consumerDeath({
      endpoint: dynamoDBEndpoint(),
      events: 1_000,
      kills: 2,
    });
    expectNothingLost(verdict);
    expectReactionsExact(verdict);
    expect(verdict.stored).toBe(verdict.pushed);
  }, 300_000);

  it('two runners on one stream: counts exact', async () => {
    expectNothingLost(await twoRunners({ endpoint: dynamoDBEndpoint(), events: 800 }));
  }, 300_000);
});
