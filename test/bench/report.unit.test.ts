import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { BenchResults } from '../../bench/benchResults.js';
import { goalRows } from '../../bench/goals.js';
import { pairedRatio } from '../../bench/harness.js';
import { renderMarkdown } from '../../bench/report.js';
import { watermarkGoals } from '../../bench/watermarkGoals.js';
import { readBenchResults, withHeadlines } from '../../bench/writeOutputs.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the published benchmark figures', () => {
  it('README and BENCHMARKS.md say what bench/results.json measured (rerun `npm run bench -- --render` after editing either)', () => {
    const results = readBenchResults();
    expect(withHeadlines(read('README.md'), results)).toBe(read('README.md'));
    expect(renderMarkdown(results)).toBe(read('BENCHMARKS.md'));
  });

  it('pairs rates by round, so a slow round slows both contenders alike', () => {
    const round = (name: string, rounds: number[]) => ({ name, rounds, median: 0, min: 0, max: 0 });
    expect(pairedRatio(round('a', [90, 45, 90]), round('b', [100, 50, 100]))).toBeCloseTo(0.9);
  });

  it("judges exactness on the watermark suite's workloads, whose rows say it, not on the projection suite's", () => {
    const results: BenchResults = structuredClone(readBenchResults());
    const exactRow = () =>
      watermarkGoals({ comparisons: results.projection.comparisons }).find(({ goal }) =>
        goal.includes('every count exact'),
      );
    expect(results.projection.comparisons.some((c) => c.suite === 'projection')).toBe(true);
    expect(exactRow()).toMatchObject({ met: true });
    const watermarkRun = results.projection.comparisons.find((c) => c.suite === 'watermark');
    const notes = watermarkRun?.results.find((r) => r.notes?.startsWith('exact'));
    if (notes === undefined) throw new Error('bench/results.json has no exact watermark row');
    notes.notes = 'off by 1';
    expect(exactRow()).toMatchObject({ met: false });
  });

  it('holds CPU per record flat in the batch size: a cost that grows with the batch fails, one that falls as writes merge does not', () => {
    const cpuRow = (micros: number[]) => {
      const cpu = {
        records: 20_000,
        projection: micros.map((microsPerRecord, index) => ({
          idempotency: 'shardWatermark' as const,
          windows: 3,
          batchSize: 100 * 10 ** index,
          microsPerRecord,
          writesPerRecord: 1.66 / 10 ** index,
        })),
        runner: [],
      };
      return watermarkGoals({ comparisons: [], cpu }).find(({ goal }) =>
        goal.startsWith('CPU, shardWatermark'),
      );
    };
    expect(cpuRow([6.4, 5.1, 3.8])).toMatchObject({
      met: true,
      measured: expect.stringContaining('(1.66, 0.17, 0.02 writes per record)'),
    });
    expect(cpuRow([4.0, 5.9, 5.0])).toMatchObject({ met: true });
    expect(cpuRow([4.0, 6.1, 5.0])).toMatchObject({ met: false }); // grew past 1.5x
    expect(cpuRow([4.0, 8.0, 16.0])).toMatchObject({ met: false }); // quadratic packing's shape
    expect(cpuRow([9.0, 10.5, 8.0])).toMatchObject({ met: false }); // under 100,000 a second
  });

  it('marks a goal not met when the run missed it', () => {
    const results: BenchResults = structuredClone(readBenchResults());
    const pushEvent = results.adapter[0];
    const raw = pushEvent?.results.find((r) => r.name === pushEvent.baseline);
    const ours = pushEvent?.results.find((r) => r.name === 'castore-dynamodb-counter');
    if (raw === undefined || ours === undefined)
      throw new Error('bench/results.json has no pushEvent comparison');
    ours.rounds = raw.rounds.map((rate) => rate * 0.5);
    const [adapterFloor] = goalRows(results);
    expect(adapterFloor).toMatchObject({
      met: false,
      measured: expect.stringContaining(`${pushEvent?.name} 0.50×`),
    });
  });
});
