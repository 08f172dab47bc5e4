import type { CpuFindings } from './cpuSuite.js';
import type { Comparison } from './harness.js';
import { PLAIN_ADD, REFS, WATERMARK } from './watermarkDesigns.js';
import { type StoragePoint, watermarkComparisonName, WORKLOADS } from './watermarkSuite.js';

type Goal = { goal: string; measured: string; met?: boolean };

/** What one DynamoDB partition writes at most, sustained: 1,000 WCU a second (one item under 1 KB each). */
export const PARTITION_WRITES_PER_SECOND = 1_000;
/** The projection's own CPU must leave the core this many records a second (issue 33). */
const PROJECTION_GOAL = 100_000;
const RUNNER_GOAL = 50_000;
/**
 * "Flat in the batch size": the work per record must not grow with the batch (the packing that
 * was quadratic in a hot key's records cost 99 µs a record at batches of 100, 466 at 1,000).
 * It may fall: a bigger batch merges more of a key's records into one write (a shard
 * watermark sends 1.66 writes per record at batches of 100, 0.08 at 10,000), so it does less
 * per record, as it bills less. A bigger batch at most this many times the smallest's CPU per
 * record: room for the rounds' noise (~30% here), not for growth.
 */
const FLAT_BAND = 1.5;

const [HOT, MIXED, COLD] = WORKLOADS;
const four = (value: number) => value.toFixed(4);
const two = (value: number) => value.toFixed(2);
const thousands = (value: number) => Math.round(value).toLocaleString('en');

const find = (comparisons: Comparison[], shape: Parameters<typeof watermarkComparisonName>[0]) =>
  comparisons.find((c) => c.name === watermarkComparisonName(shape));
const resultOf = (comparison: Comparison | undefined, design: string) =>
  comparison?.results.find((r) => r.name === design);
const wcuOf = (comparison: Comparison | undefined, design: string) =>
  resultOf(comparison, design)?.wcuPerOperation ?? NaN;
const isExact = (comparison: Comparison | undefined, design: string) =>
  resultOf(comparison, design)?.notes?.startsWith('exact') === true;

/** A workload's watermark cost against a ceiling and against the plain ADD of the same shape. */
const costRow = (
  comparisons: Comparison[],
  shape: Parameters<typeof watermarkComparisonName>[0],
  ceiling?: number,
): Goal => {
  const comparison = find(comparisons, shape);
  const [ours, plain] = [wcuOf(comparison, WATERMARK), wcuOf(comparison, PLAIN_ADD)];
  const limit = Math.min(ceiling ?? Infinity, plain);
  return {
    goal: `Shard watermark, ${watermarkComparisonName(shape)}: at most ${ceiling === undefined ? 'a plain ADD' : `${ceiling} WCU per event and a plain ADD`}, exact`,
    measured: `${four(ours)} WCU per event (plain ADD: ${two(plain)}; refs: ${two(wcuOf(comparison, REFS))})${isExact(comparison, WATERMARK) ? ', exact' : ', **not exact**'}`,
    met: ours <= limit && isExact(comparison, WATERMARK),
  };
};

/** Issue 33's cost goals, as this run measured them. */
const costGoals = (comparisons: Comparison[]): Goal[] => {
  const shape = (label: string, batchSize: number, day = false, twice = false) => ({
    label,
    batchSize,
    day,
    twice,
  });
  const rows = [
    costRow(comparisons, shape(HOT.label, 1_000), 0.002),
    costRow(comparisons, shape(MIXED.label, 100), 0.5),
    costRow(comparisons, shape(COLD.label, 100), 1),
    costRow(comparisons, shape(COLD.label, 1_000), 1),
    ...WORKLOADS.flatMap(({ label }) =>
      [100, 1_000].map((batchSize) => costRow(comparisons, shape(label, batchSize, true))),
    ),
    ...WORKLOADS.map(({ label }) => costRow(comparisons, shape(label, 100, false, true))),
  ];
  // Only the shapes this run measured (a quick run or an older results.json may lack some).
  return rows.filter((row) => !row.measured.startsWith('NaN'));
};

const exactGoal = (comparisons: Comparison[]): Goal => {
  // The watermark suite's workloads, whose rows say whether each count was exact; the
  // projection suite's watermark row is checked apart (its redelivery table).
  const watermarkOnes = comparisons.filter(
    (c) => c.suite === 'watermark' && resultOf(c, WATERMARK) !== undefined,
  );
  const notExact = watermarkOnes.flatMap((c) =>
    [WATERMARK, REFS].filter((design) => !isExact(c, design)).map((d) => `${d} in ${c.name}`),
  );
  return {
    goal: 'Shard watermark and refs: every count exact, every batch delivered once or twice',
    measured:
      notExact.length === 0
        ? `exact in all ${watermarkOnes.length} workloads`
        : `not exact: ${notExact.join('; ')}`,
    met: watermarkOnes.length > 0 && notExact.length === 0,
  };
};

const storageGoal = (storage: StoragePoint[] | undefined): Goal[] => {
  if (storage === undefined || storage.length === 0) return [];
  const bytes = storage.map((point) => point.hotItemBytes);
  return [
    {
      goal: 'Shard watermark: storage per key bounded as shards roll over (the item stays under 1 KB: one WCU a write)',
      measured: `the hot key's total item ${Math.min(...bytes)} to ${Math.max(...bytes)} bytes over ${storage[storage.length - 1]?.shards ?? 0} shards, one every 6 hours`,
      met: Math.max(...bytes) <= 1_024,
    },
  ];
};

const cpuGoals = (
  cpu: CpuFindings | undefined,
  measuredAlone: { date: string; quick: boolean } | undefined,
): Goal[] => {
  if (cpu === undefined) return [];
  // Not "in this run" when merged from a run of its own: the row says which.
  const alone =
    measuredAlone === undefined
      ? ''
      : ` (measured alone on ${measuredAlone.date}: \`npm run bench -- --cpu-only${measuredAlone.quick ? ' --quick' : ''}\`)`;
  const rows: Goal[] = [];
  for (const idempotency of ['refs', 'shardWatermark'] as const) {
    const points = cpu.projection.filter((p) => p.idempotency === idempotency && p.windows === 3);
    const micros = points.map((p) => p.microsPerRecord);
    const worst = Math.max(...micros);
    const smallest = micros[0] ?? NaN;
    const writes = points.map((p) => p.writesPerRecord);
    rows.push({
      goal: `CPU, ${idempotency}, three windows, batches of ${points.map((p) => thousands(p.batchSize)).join(' to ')}: at least ${thousands(PROJECTION_GOAL)} records a second per core, flat in the batch size (no bigger batch above ${FLAT_BAND}x the smallest's CPU per record)`,
      measured: `${micros.map((m) => m.toFixed(1)).join(', ')} µs per record${writes.every((w) => w !== undefined) ? ` (${writes.map((w) => two(w)).join(', ')} writes per record)` : ''}: ${thousands(1_000_000 / worst)} records a second at worst; the bigger batches at most ${two(worst / smallest)}x the smallest's${alone}`,
      met: 1_000_000 / worst >= PROJECTION_GOAL && worst <= FLAT_BAND * smallest,
    });
  }
  const [ownWork, withSdk] = [cpu.runner.filter((p) => !p.sdk), cpu.runner.filter((p) => p.sdk)];
  for (const point of ownWork)
    rows.push({
      goal: `CPU, the stream runner end to end on the simulated Streams API, ${point.idempotency}: at least ${thousands(RUNNER_GOAL)} records a second per core`,
      measured: `${point.microsPerRecord.toFixed(1)} µs per record: ${thousands(point.recordsPerCoreSecond)} records a second per core${alone}`,
      met: point.recordsPerCoreSecond >= RUNNER_GOAL,
    });
  if (withSdk.length > 0) {
    const slowest = Math.min(...withSdk.map((p) => p.recordsPerCoreSecond));
    rows.push({
      goal: "Sizing: partitions of sustained writes one core of the service keeps up with (with the SDK's own cost per request)",
      measured: `${Math.floor(slowest / PARTITION_WRITES_PER_SECOND)} (${thousands(slowest)} records a second per core on the mixed workload, a partition writing ${thousands(PARTITION_WRITES_PER_SECOND)} a second)`,
    });
  }
  return rows;
};

/** Issue 33's goals, each a row, as this run measured them. */
export const watermarkGoals = ({
  comparisons,
  storage,
  cpu,
  cpuMeasured,
}: {
  comparisons: Comparison[];
  storage?: StoragePoint[] | undefined;
  cpu?: CpuFindings | undefined;
  /** Set when the CPU rows come from a `--cpu-only` run merged into this one's results. */
  cpuMeasured?: { date: string; quick: boolean } | undefined;
}): Goal[] => [
  ...costGoals(comparisons),
  ...(comparisons.some((c) => resultOf(c, WATERMARK) !== undefined)
    ? [exactGoal(comparisons)]
    : []),
  ...storageGoal(storage),
  ...cpuGoals(cpu, cpuMeasured),
];

/** The README's line on the shard watermark: the cost on the mixed workload first. */
export const watermarkHeadline = (
  comparisons: Comparison[],
  measured?: { date: string; quick: boolean },
): string => {
  const at = (label: string, batchSize: number, day = false) =>
    find(comparisons, { label, batchSize, day });
  const mixed = at(MIXED.label, 100);
  if (mixed === undefined) return 'Shard watermark: not measured.';
  const mixedDay = at(MIXED.label, 100, true);
  return `Shard watermark (\`idempotency: 'shardWatermark'\`), exact: ${two(wcuOf(mixed, WATERMARK))} WCU per event on the mixed workload (60% on one hot key, the rest on 500 keys) at batches of 100, where a plain non-idempotent ADD costs ${two(wcuOf(mixed, PLAIN_ADD))} and refs ${two(wcuOf(mixed, REFS))}; with a day window ${two(wcuOf(mixedDay, WATERMARK))} (plain ADD ${two(wcuOf(mixedDay, PLAIN_ADD))}); cold keys alone ${two(wcuOf(at(COLD.label, 100), WATERMARK))} (plain ADD ${two(wcuOf(at(COLD.label, 100), PLAIN_ADD))}); a hot key ${four(wcuOf(at(HOT.label, 1_000), WATERMARK))} at batches of 1,000${measured === undefined ? '' : ` (measured on ${measured.date} alone: \`npm run bench -- --watermark-only${measured.quick ? ' --quick' : ''}\`)`}.`;
};
