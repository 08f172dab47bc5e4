import { describe, expect, inject, it } from 'vitest';

import { redelivery, throttling } from '../../chaos/scenarios/inProcess.js';
import { consumerDeath, serverDeath, twoRunners } from '../../chaos/scenarios/processDeaths.js';
import { writeRaces } from '../../chaos/scenarios/writeRaces.js';
import type { Verdict } from '../../chaos/verify.js';

/** Short versions of `npm run chaos`: the same scenarios, smaller. */
const expectNothingLost = (verdict: Verdict) => {
  expect(verdict).toMatchObject({
    lostAcknowledged: 0,
    partialGroups: 0,
    countMismatches: 0,
    versionGaps: 0,
    reactionDifferences: 0,
  });
  expect(verdict.stored).toBeGreaterThan(0);
  expect(verdict.countedRefs).toBe(verdict.expectedRefs);
};

/** The scenarios that react: every threshold reached fired once, and some were reached. */
const expectReactionsExact = (verdict: Verdict) => {
  expect(verdict.reactionsExpected).toBeGreaterThan(0);
  expect(verdict.reactionsFired).toBe(verdict.reactionsExpected);
};

describe('chaos, short versions', () => {
  it('DynamoDB Local killed with SIGKILL twice mid-run: every acknowledged event stored, no partial group, counts and reactions exact', async () => {
    const verdict = await serverDeath({ events: 1_500, kills: 2 });
    expectNothingLost(verdict);
    expectReactionsExact(verdict);
    expect(verdict.kills).toBe(2);
    expect(verdict.stored).toBeGreaterThanOrEqual(verdict.acknowledged);
  }, 300_000);

  it('the runner killed with SIGKILL twice and restarted: counts and reactions exact', async () => {
    const verdict = await consumerDeath({
      endpoint: inject('dynamoDBEndpoint'),
      events: 1_500,
      kills: 2,
    });
    expectNothingLost(verdict);
    expectReactionsExact(verdict);
    expect(verdict.stored).toBe(verdict.pushed);
  }, 300_000);

  it('two runners on one stream: counts exact', async () => {
    expectNothingLost(await twoRunners({ endpoint: inject('dynamoDBEndpoint'), events: 800 }));
  }, 300_000);

  it('batches of both streams delivered 1 to 3 times, re-split: counts and reactions exact', async () => {
    const verdict = await redelivery({ endpoint: inject('dynamoDBEndpoint'), events: 800 });
    expectNothingLost(verdict);
    expectReactionsExact(verdict);
    expect(verdict.duplicatesInjected).toBeGreaterThan(100);
  }, 300_000);

  it('half of the calls throttled or conflicting: what fails past the retries reaches the dead letter, and nothing vanishes', async () => {
    const verdict = await throttling({
      endpoint: inject('dynamoDBEndpoint'),
      events: 800,
      failureShare: 0.5,
    });
    expectNothingLost(verdict);
    expect(verdict.faults).toBeGreaterThan(5);
    expect(verdict.deadLettered).toBeGreaterThan(0);
    // The dead letters were replayed through the mapping's filter, past records it dropped.
    expect(verdict.scenario).toMatch(/, [1-9]\d* MODIFY records filtered out$/);
  }, 300_000);

  it.each([false, true])(
    '64 writers racing on the same aggregates (requireContiguousVersions: %s): no version lost or overwritten, versions contiguous',
    async (requireContiguousVersions) => {
      const verdict = await writeRaces({
        endpoint: inject('dynamoDBEndpoint'),
        writers: 64,
        pushesPerWriter: 4,
        aggregates: 4,
        requireContiguousVersions,
      });
      expect(verdict).toMatchObject({
        pushed: 256,
        acknowledged: 256,
        stored: 256,
        lostAcknowledged: 0,
        versionGaps: 0,
      });
    },
    300_000,
  );
});
