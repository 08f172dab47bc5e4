import { describe, expect, it } from 'vitest';

import { liveProgress, progressLine } from '../../src/cli/output/progressLine.js';
import { recordFates } from '../../src/counterProjection/recordFates.js';
import {
  addFates,
  initialProgress,
  noFates,
  withHandlerTotals,
} from '../../src/streamRunner/progress.js';

/** The fates of a batch of `counted` counted records, one skipped and, with `failed`, a failure after them. */
const batchFates = (counted: number, { failed = false } = {}) =>
  recordFates({
    records: counted + 1 + (failed ? 1 : 0),
    skipped: new Map([[counted, 'NotAnInsert' as const]]),
    countedAt: new Set(Array.from({ length: counted }, (_, i) => i)),
    duplicateAt: new Set(),
    ...(failed ? { failure: { position: counted + 1, error: new Error('x') } } : {}),
  });

const fromShard = { shardId: 'shard-1', delivery: 'stream' } as const;

describe("the runner's record fates", () => {
  it("adds up the transactions and retries of the handler's results, and keeps the age of each batch's oldest record", async () => {
    const progress = initialProgress();
    const now = Date.now();
    const record = (secondsAgo: number) => ({
      dynamodb: { ApproximateCreationDateTime: new Date(now - secondsAgo * 1000) },
    });
    const handler = withHandlerTotals(
      async () => ({ stats: { transactions: 3, retries: 2 } }),
      progress,
    );
    await handler([record(40), record(90), record(10)], fromShard);
    await handler([record(5)], fromShard);
    expect(progress).toMatchObject({ transactions: 6, transactionRetries: 4 });
    expect(progress.oldestRecordAgeMs).toBeGreaterThanOrEqual(5_000);
    expect(progress.oldestRecordAgeMs).toBeLessThan(60_000);
    await handler([record(90), record(10)], fromShard);
    expect(progress.oldestRecordAgeMs).toBeGreaterThanOrEqual(90_000);
  });

  it("adds up the fates of the handler's results, leaving earlier progress copies as they were", async () => {
    const progress = initialProgress();
    const handler = withHandlerTotals(
      async () => ({ fates: batchFates(3, { failed: true }) }),
      progress,
    );
    await handler([], fromShard);
    const first = { ...progress };
    await handler([], fromShard);
    expect(first.fates).toEqual({ counted: 3, duplicate: 0, skipped: 1, failed: 1 });
    expect(progress.fates).toEqual({ counted: 6, duplicate: 0, skipped: 2, failed: 2 });
    await withHandlerTotals(async () => undefined, progress)([], fromShard); // a handler that reports none
    expect(progress.fates).toEqual({ counted: 6, duplicate: 0, skipped: 2, failed: 2 });
  });

  it('counts the records of a batch the handler throws on as failed, and lets the throw through', async () => {
    const progress = initialProgress();
    const cause = new Error('the counts table cannot be read');
    const handler = withHandlerTotals(() => Promise.reject(cause), progress);
    const records = [{ dynamodb: {} }, { dynamodb: {} }, { dynamodb: {} }];
    await expect(handler(records, fromShard)).rejects.toBe(cause);
    await expect(handler(records, fromShard)).rejects.toBe(cause);
    expect(progress.fates).toEqual({ counted: 0, duplicate: 0, skipped: 0, failed: 6 });
    expect(progressLine({ progress, countedPerSecond: 0 })).toContain('failed attempts 6,');
  });
});

describe("run's live line", () => {
  it('shows each fate, the counted rate and the lag of every shard being read', () => {
    const progress = {
      ...initialProgress(),
      read: 6,
      committed: 5,
      fates: addFates(noFates(), batchFates(3, { failed: true })),
      transactions: 4,
      transactionRetries: 1,
      lagMs: 2_400,
      lagMsByShard: {
        'shardId-00000001700000000000-aaaa1111': 2_400,
        'shardId-00000001700000000000-bbbb2222': 12_600,
      },
    };
    expect(progress.fates).toEqual({ counted: 3, duplicate: 0, skipped: 1, failed: 1 });
    expect(progressLine({ progress, countedPerSecond: 2.6 })).toBe(
      'read 6, committed 5 (records counted 3, duplicate 0, skipped 1; 3 counted/s), failed attempts 1, dead-lettered 0, transactions 4 (retried 1), lag 2 s (…aaaa1111 2 s, …bbbb2222 13 s)',
    );
  });

  it('says - for the lag before any record was handled', () => {
    expect(progressLine({ progress: initialProgress(), countedPerSecond: 0 })).toMatch(/, lag -$/);
  });

  it('prints the first progress at once, then at most once a second, with the rate since the previous line', () => {
    let now = 10_000;
    const printed: string[] = [];
    const timers: { run: () => void; at: number }[] = [];
    const onProgress = liveProgress({
      print: (line) => printed.push(line),
      clock: () => now,
      later: (run, ms) => void timers.push({ run, at: now + ms }),
    });
    const progress = initialProgress();
    const handled = (counted: number) => {
      progress.fates = addFates(progress.fates, batchFates(counted));
      onProgress({ ...progress });
    };
    now += 500;
    handled(5); // a quiet stream may bring this one batch only
    now += 400;
    handled(4); // held: its second is not up
    expect(timers.map(({ at }) => at)).toEqual([11_500]);
    now += 1_600; // 2 s after the first line
    handled(6);
    timers[0]?.run(); // the held one was overtaken: nothing more to print
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('records counted 5, duplicate 0, skipped 1; 10 counted/s');
    expect(printed[1]).toContain('records counted 15, duplicate 0, skipped 3; 5 counted/s');
  });

  it('prints a held progress when its second is up, so that a quiet stream shows where it stopped', () => {
    let now = 0;
    const printed: string[] = [];
    const timers: { run: () => void; at: number }[] = [];
    const onProgress = liveProgress({
      print: (line) => printed.push(line),
      clock: () => now,
      later: (run, ms) => void timers.push({ run, at: now + ms }),
    });
    const progress = initialProgress();
    onProgress({ ...progress, committed: 12 });
    now += 300;
    onProgress({ ...progress, committed: 13 });
    now += 200;
    onProgress({ ...progress, committed: 14 }); // the stream then goes quiet
    expect(timers).toHaveLength(1);
    now = timers[0]?.at as number;
    timers[0]?.run();
    expect(printed.map((line) => /committed (\d+)/.exec(line)?.[1])).toEqual(['12', '14']);
  });
});
