import { describe, expect, it } from 'vitest';

import { addFates, liveProgress, noFates, progressLine } from '../../src/cli/progressLine.js';
import { recordFates } from '../../src/counterProjection/recordFates.js';
import { initialProgress } from '../../src/streamRunner/progress.js';

describe("run's live line", () => {
  it('shows each fate, the counted rate and the lag of every shard being read', () => {
    const fates = noFates();
    addFates(
      fates,
      recordFates({
        records: 6,
        skipped: new Map([[0, 'NotAnInsert' as const]]),
        countedAt: new Set([1, 2, 3]),
        duplicateAt: new Set([4]),
        failure: { position: 5, error: new Error('x') },
      }),
    );
    const progress = {
      ...initialProgress(),
      read: 6,
      committed: 5,
      lagMs: 2_400,
      lagMsByShard: {
        'shardId-00000001700000000000-aaaa1111': 2_400,
        'shardId-00000001700000000000-bbbb2222': 12_600,
      },
    };
    expect(progressLine({ progress, fates, countedPerSecond: 2.6 })).toBe(
      'read 6, committed 5 (records counted 3, duplicate 1, skipped 1; 3 counted/s), failed attempts 1, dead-lettered 0, lag 2 s (…aaaa1111 2 s, …bbbb2222 13 s)',
    );
  });

  it('says - for the lag before any record was handled', () => {
    expect(
      progressLine({ progress: initialProgress(), fates: noFates(), countedPerSecond: 0 }),
    ).toMatch(/, lag -$/);
  });

  it('prints the first progress at once, then at most once a second, with the rate since the previous line', () => {
    let now = 10_000;
    const printed: string[] = [];
    const live = liveProgress({ print: (line) => printed.push(line), clock: () => now });
    const handled = (counted: number) =>
      live.handled({
        fates: recordFates({
          records: counted,
          skipped: new Map(),
          countedAt: new Set(Array.from({ length: counted }, (_, i) => i)),
          duplicateAt: new Set(),
        }),
      });
    now += 500;
    handled(5);
    live.onProgress(initialProgress()); // a quiet stream may bring this one batch only
    now += 400;
    handled(4);
    live.onProgress(initialProgress());
    now += 1_600; // 2 s after the first line
    handled(6);
    live.onProgress(initialProgress());
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('records counted 5, duplicate 0, skipped 0; 10 counted/s');
    expect(printed[1]).toContain('records counted 15, duplicate 0, skipped 0; 5 counted/s');
  });
});
