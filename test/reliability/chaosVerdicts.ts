import { expect } from 'vitest';

import type { Verdict } from '../../chaos/verify.js';

/** What every chaos scenario must end with: nothing lost, nothing counted twice. */
export const expectNothingLost = (verdict: Verdict) => {
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
export const expectReactionsExact = (verdict: Verdict) => {
  expect(verdict.reactionsExpected).toBeGreaterThan(0);
  expect(verdict.reactionsFired).toBe(verdict.reactionsExpected);
};
