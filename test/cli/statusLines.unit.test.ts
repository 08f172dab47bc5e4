import { describe, expect, it } from 'vitest';

import { countsHealthLines, statusLines } from '../../src/cli/output/statusLines.js';
import type { ShardStatus } from '../../src/streamRunner/index.js';

const shard = (fields: Partial<ShardStatus>): ShardStatus => ({
  shardId: 'shardId-1',
  open: true,
  finished: false,
  checkpoint: '100',
  recordsBehind: { count: 0, atLeast: false },
  lagMs: 0,
  newestHandledAgeMs: 4_000,
  checkpointTrimmed: false,
  ...fields,
});

describe("status's report", () => {
  it('is unhealthy with no consumer to report on', () => {
    expect(statusLines([], { maxLagMs: undefined })).toEqual({
      lines: ['No consumer has a checkpoint on this stream yet (start `run`, or name --consumer).'],
      healthy: false,
    });
  });

  it('is unhealthy with a trimmed checkpoint, whatever the lag, and says what to do', () => {
    const { lines, healthy } = statusLines(
      [
        {
          consumerName: 'counts',
          lagMs: undefined,
          shards: [shard({ checkpointTrimmed: true, recordsBehind: undefined, lagMs: undefined })],
        },
      ],
      { maxLagMs: undefined },
    );
    expect(healthy).toBe(false);
    expect(lines[1]).toBe(
      '  shardId-1 open, checkpoint 100, behind unknown, lag -, newest handled 4 s ago, CHECKPOINT TRIMMED: records after it may be lost; count them again with `rebuild`',
    );
  });

  it('is healthy at the threshold, unhealthy past it, and shows "+" when it stopped counting', () => {
    const consumer = (lagMs: number) => ({
      consumerName: 'counts',
      lagMs,
      shards: [shard({ lagMs, recordsBehind: { count: 1000, atLeast: true } })],
    });
    expect(statusLines([consumer(60_000)], { maxLagMs: 60_000 }).healthy).toBe(true);
    const past = statusLines([consumer(61_000)], { maxLagMs: 60_000 });
    expect(past.healthy).toBe(false);
    expect(past.lines[0]).toBe('consumer counts: lag 61 s LAGGING (more than 60 s)');
    expect(past.lines[1]).toContain('behind 1000+');
  });
});

describe("status's report of a counts table", () => {
  it('is unhealthy while a counter is marked not exact or records wait, and says what to do', () => {
    expect(
      countsHealthLines({
        notExact: [
          { counterName: 'hot', reason: 'a dead letter was replayed', since: '2026-11-30' },
        ],
        setAside: { waiting: 2, counted: 1 },
      }),
    ).toEqual({
      lines: [
        'counter hot: NOT EXACT since 2026-11-30 (a dead letter was replayed); its reads refuse: rebuild it into a fresh counts table and switch to it',
        'records set aside: 2 WAITING (fix their cause, then run count-set-aside), 1 counted',
      ],
      healthy: false,
    });
    expect(countsHealthLines({ notExact: [], setAside: { waiting: 0, counted: 3 } })).toEqual({
      lines: ['records set aside: none waiting, 3 counted'],
      healthy: true,
    });
  });
});
