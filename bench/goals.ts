import type { BenchResults } from './benchResults.js';
import { CONTIGUOUS_PUSH, CONTIGUOUS_PUSH_NAME, RAW_CHECKED_PUT } from './contiguousPushSuite.js';
import { type Comparison, ratioBetween } from './harness.js';
import { watermarkGoals } from './watermarkGoals.js';

const OURS = 'castore-dynamodb-counter';
const REFERENCE = '@castore reference 2.4.2';
const OURS_DESIGN = 'castore-dynamodb-counter (coalesced)';
const PER_EVENT = 'one transaction per event';
const PLAIN_ADD = 'plain ADD (not idempotent)';

const two = (value: number) => value.toFixed(2);
const count = (value: number | undefined) => (value ?? NaN).toLocaleString('en');

/** The lowest ratio over comparisons, with the comparison it came from. */
const lowest = (comparisons: Comparison[], name: string, to: (c: Comparison) => string) =>
  comparisons
    .map((comparison) => ({
      comparison: comparison.name,
      value: ratioBetween(comparison, name, to(comparison)),
    }))
    .reduce((low, next) => (next.value < low.value ? next : low), {
      comparison: '',
      value: Infinity,
    });

/** The reference's ratio in the same comparison, where it ran (not in the requireContiguousVersions ones). */
const referenceBeside = (comparison: Comparison): string => {
  const ratio = ratioBetween(comparison, REFERENCE, comparison.baseline);
  return Number.isFinite(ratio) ? ` (reference ${two(ratio)}×)` : '';
};

/** Each goal of the issue, what this run measured, and whether it was met: computed, never typed in. */
export const goalRows = (
  results: BenchResults,
): { goal: string; measured: string; met?: boolean }[] => {
  const { adapter, projection, scale } = results;
  const belowFloor = adapter.filter((c) => ratioBetween(c, OURS, c.baseline) < 0.95);
  const rawLow = lowest(adapter, OURS, (c) => c.baseline);
  const referenceLow = lowest(adapter, OURS, () => REFERENCE);
  const last = adapter.filter((c) => c.name.startsWith('last event'));
  const lastLow = lowest(last, OURS, () => REFERENCE);
  const perEventLow = lowest(projection.comparisons, OURS_DESIGN, () => PER_EVENT);
  const hot = projection.comparisons.find((c) => c.name === 'hot counter only');
  const hotWcu = hot?.results.find((r) => r.name === OURS_DESIGN)?.wcuPerOperation ?? NaN;
  const itemBytes = Object.values(projection.hotItemBytes[OURS_DESIGN] ?? {});
  // Only the comparisons that have both (the hot-key chunks one has neither baseline).
  const plainAdd = projection.comparisons
    .map((c) => ratioBetween(c, OURS_DESIGN, PLAIN_ADD))
    .filter(Number.isFinite);
  const redelivered = projection.comparisons.find((c) => c.name.includes('delivered twice'));
  const chunks = projection.comparisons.find((c) => c.name.includes('conflicts as AWS does'));
  const memory = scale.map((p) => p.runnerPeakMb);
  const contiguous = adapter.filter((c) => c.name.startsWith(CONTIGUOUS_PUSH_NAME));
  const contiguousLow = lowest(contiguous, CONTIGUOUS_PUSH, () => RAW_CHECKED_PUT);
  return [
    {
      goal: 'Adapter: at least 0.95× the raw SDK everywhere',
      measured: `lowest ${two(rawLow.value)}× (${rawLow.comparison}); below 0.95 in ${belowFloor.length} of ${adapter.length}${belowFloor.length > 0 ? `: ${belowFloor.map((c) => `${c.name} ${two(ratioBetween(c, OURS, c.baseline))}×${referenceBeside(c)}`).join('; ')}` : ''}`,
      met: belowFloor.length === 0,
    },
    {
      goal: 'Adapter: never slower than the reference (at least 0.95×, as above)',
      measured: `lowest ${two(referenceLow.value)}× the reference (${referenceLow.comparison})`,
      met: referenceLow.value >= 0.95,
    },
    {
      goal: 'Adapter: far ahead where the reference reads too much (last event)',
      measured: `at least ${count(Math.round(lastLow.value))}× the reference`,
      met: lastLow.value >= 10,
    },
    {
      goal: 'Adapter, requireContiguousVersions: at least 0.95× the raw SDK transaction it sends',
      measured: `lowest ${two(contiguousLow.value)}× (${contiguousLow.comparison})`,
      met: contiguousLow.value >= 0.95,
    },
    {
      goal: 'Projection: at least 2× one transaction per event',
      measured: `lowest ${two(perEventLow.value)}× (${perEventLow.comparison})`,
      met: perEventLow.value >= 2,
    },
    {
      goal: 'Projection: at most 2.1 WCU per event on the hot counter',
      measured: `${two(hotWcu)} WCU per event`,
      met: hotWcu <= 2.1,
    },
    {
      goal: "Projection: the counter item's size stays constant",
      measured: `${Math.min(...itemBytes)} to ${Math.max(...itemBytes)} bytes from ${count(results.projectionSizes[0])} to ${count(results.projectionSizes[results.projectionSizes.length - 1])} events`,
      met: Math.max(...itemBytes) - Math.min(...itemBytes) <= 8,
    },
    {
      goal: 'Projection under redelivery (every batch twice), cancelled transactions billed',
      measured: `${two(ratioBetween(redelivered, OURS_DESIGN, PER_EVENT))}× one transaction per event; ${two(redelivered?.results.find((r) => r.name === OURS_DESIGN)?.wcuPerOperation ?? NaN)} WCU per event (one transaction per event: ${two(redelivered?.results.find((r) => r.name === PER_EVENT)?.wcuPerOperation ?? NaN)})`,
    },
    {
      goal: "Projection: a hot key's chunks one after another, on a client that conflicts as AWS does",
      measured: `${two(ratioBetween(chunks, OURS_DESIGN, chunks?.baseline ?? ''))}× the events/s of sending them in parallel${chunks?.results.find((r) => r.notes !== undefined)?.notes !== undefined ? ` (in parallel: ${chunks.results.find((r) => r.notes !== undefined)?.notes})` : ''}`,
    },
    {
      goal: 'Projection: close to a plain ADD (no threshold)',
      measured: `${two(Math.min(...plainAdd))}× to ${two(Math.max(...plainAdd))}× its events/s; exact where it double counts`,
    },
    {
      goal: "End to end: the runner's memory stays flat",
      measured: `${Math.round(Math.min(...memory))} to ${Math.round(Math.max(...memory))} MB from ${count(scale[0]?.events)} to ${count(scale[scale.length - 1]?.events)} events`,
      met: Math.max(...memory) <= 2 * Math.min(...memory),
    },
  ];
};

export const goalsTable = (results: BenchResults): string =>
  [
    '| goal | measured in this run | met |',
    '| --- | --- | --- |',
    ...[
      ...goalRows(results),
      ...watermarkGoals({
        comparisons: results.projection.comparisons,
        storage: results.watermarkStorage,
        cpu: results.cpu,
        cpuMeasured: results.cpuMeasured,
      }),
    ].map(
      ({ goal, measured, met }) =>
        `| ${goal} | ${measured} | ${met === undefined ? '-' : met ? 'yes' : '**no**'} |`,
    ),
  ].join('\n');
