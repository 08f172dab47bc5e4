import { describe, expect, it } from 'vitest';

import { tierLines } from './tierTimes.reporter.js';

describe('the tier times printed at the end of a run', () => {
  it("gives each tier its files and the time from its first file's start to its last's end, overlaps counted once", () => {
    expect(
      tierLines([
        { tier: 'unit', start: 0, end: 1_000 },
        { tier: 'integration', start: 500, end: 60_500 },
        { tier: 'unit', start: 200, end: 2_500 },
        { tier: 'integration', start: 1_000, end: 30_000 },
        { tier: 'e2e', start: 2_000, end: 2_100 },
      ]),
    ).toEqual([
      'tier unit: 2 files, 2.5 s',
      'tier integration: 2 files, 60.0 s',
      'tier e2e: 1 file, 0.1 s',
    ]);
  });
});
