import { describe, expect, it } from 'vitest';

import { writeRaces } from '../../chaos/scenarios/writeRaces.js';
import { dynamoDBEndpoint } from '../support/dynamoDB.js';

/** The short version of `npm run chaos`'s writers racing: the same scenario, smaller. */
describe('chaos, short versions: writers racing', () => {
  it.each([false, true])(
    '16 writers racing on the same 4 aggregates (requireContiguousVersions: %s): no version lost or overwritten, versions contiguous',
    async (requireContiguousVersions) => {
      const verdict = await writeRaces({
        endpoint: dynamoDBEndpoint(),
        writers: 16,
        pushesPerWriter: 4,
        aggregates: 4,
        requireContiguousVersions,
      });
      expect(verdict).toMatchObject({
        pushed: 64,
        acknowledged: 64,
        stored: 64,
        lostAcknowledged: 0,
        versionGaps: 0,
      });
      // They raced: some pushes met another's version and were retried.
      expect(verdict.scenario).toMatch(/\(([1-9]\d*) conflicts retried\)$/);
    },
    300_000,
  );
});
