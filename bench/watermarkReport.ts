import type { BenchResults } from './benchResults.js';
import { comparisonTable } from './comparisonTable.js';
import type { CpuPoint } from './cpuSuite.js';
import { PARTITION_WRITES_PER_SECOND } from './watermarkGoals.js';
import { isWatermarkComparison } from './watermarkSuite.js';

const one = (value: number) => value.toFixed(1);
const two = (value: number) => value.toFixed(2);
const thousands = (value: number) => Math.round(value).toLocaleString('en');

const measuredAlone = ({ watermarkMeasured }: BenchResults) =>
  watermarkMeasured === undefined
    ? ''
    : `Measured on ${watermarkMeasured.date} alone (\`npm run bench -- --watermark-only${watermarkMeasured.quick ? ' --quick' : ''}\`), on a fresh DynamoDB Local. `;

/** BENCHMARKS.md's section on what the shard watermark costs, against refs and a plain ADD. */
export const watermarkSection = (results: BenchResults): string => {
  const comparisons = results.projection.comparisons.filter(isWatermarkComparison);
  const storage = results.watermarkStorage ?? [];
  return `## The shard watermark against refs and a plain ADD

${measuredAlone(results)}One counter (\`ORDER_PLACED\` by country) counted three ways from the same
5,000 stream records: the shard watermark, delivered as the stream runner delivers (each batch
claimed in the consumer's checkpoint), refs, and a plain \`ADD\` of the same items (16 at a time;
no idempotency: the floor). Three workloads: one hot key, the mixed one (60% on one hot key, the
rest on 500 keys) and cold keys only (500 keys), each with no window and with a day window, at
batches of 100 and 1,000; then each at batches of 100 delivered twice: first to a task killed before
its checkpoint, then to a new task (what a deployment of the service does). WCU: what the counting
writes to the counts table, refused conditional writes billed as AWS bills them (the item's size,
at least 1 WCU); the runner's own checkpoint write per batch, which carries the claim, is not
counted (it is one per batch whatever the counter). "exact": the totals sum to the events written.

${comparisons.map(comparisonTable).join('\n')}
${
  storage.length === 0
    ? ''
    : `### Storage as shards roll over

One hot key with a day window, counted from 40 shards in turn (a shard every 6 hours, 500 records
each, batches of 100). Each shard leaves a mark (25 bytes) in the key's items; marks of shards past
the 28-hour horizon are forgotten, so the item stays bounded.

| shards so far | ${storage.map((p) => p.shards).join(' | ')} |
|${' --- |'.repeat(storage.length + 1)}
| the hot key's total item (bytes) | ${storage.map((p) => p.hotItemBytes).join(' | ')} |
`
}`;
};

/** BENCHMARKS.md's section on the projection's and the runner's own CPU per record. */
const cpuCell = (point: CpuPoint | undefined): string =>
  point === undefined
    ? '-'
    : `${one(point.microsPerRecord)}${point.writesPerRecord === undefined ? '' : ` (${two(point.writesPerRecord)})`}`;

export const cpuSection = (results: BenchResults): string => {
  const { cpu } = results;
  if (cpu === undefined) return '';
  const batchSizes = [...new Set(cpu.projection.map((p) => p.batchSize))];
  const rows = [...new Set(cpu.projection.map((p) => `${p.idempotency}|${p.windows}`))];
  const withSdk = cpu.runner.filter((p) => p.sdk);
  const slowest = Math.min(
    ...(withSdk.length > 0 ? withSdk : cpu.runner).map((p) => p.recordsPerCoreSecond),
  );
  // The runner's batches (1,000, three windows) write as the projection's do at that size.
  const runnerWrites = cpu.projection.find(
    (p) => p.idempotency === 'shardWatermark' && p.windows === 3 && p.batchSize === 1_000,
  )?.writesPerRecord;
  const alone =
    results.cpuMeasured === undefined
      ? measuredAlone(results)
      : `Measured on ${results.cpuMeasured.date} alone (\`npm run bench -- --cpu-only${results.cpuMeasured.quick ? ' --quick' : ''}\`), on a machine whose other tenants vary (about 30% between runs). `;
  return `## CPU per record

${alone}The projection's own work, with a DynamoDB client that answers every request at once: ${thousands(cpu.records)}
records of the mixed workload, CPU time (user and system, garbage collection included) per record,
the best of ${cpu.rounds ?? 3} rounds after a warm-up${cpu.rounds === undefined ? '' : ', each begun on a collected heap'}${cpu.loadAverage === undefined ? '' : `, the machine's load average ${cpu.loadAverage.toFixed(2)} when it began`}. Then the stream runner end to end on the simulated Streams API
in memory (shards rolling over every 10,000 records, batches of 1,000, three windows), with the same
instant client, then with the SDK's whole client (middleware, serializing, signing, parsing the
answer) over an HTTP handler that answers at once: what each request costs the task besides the
projection's own work, the network's wait aside (the simulated Streams API skips the Streams
client's parsing of records).

Beside each figure, the requests sent per record (a counts item written, a batch's claim): a
bigger batch merges more records into each item's write, so fewer writes, and less CPU, per record.

| idempotency | windows | ${batchSizes.map((b) => `batches of ${thousands(b)}: µs (writes) per record`).join(' | ')} |
|${' --- |'.repeat(batchSizes.length + 2)}
${rows
  .map((row) => {
    const [idempotency, windows] = row.split('|');
    const points = cpu.projection.filter(
      (p) => p.idempotency === idempotency && String(p.windows) === windows,
    );
    return `| ${idempotency} | ${windows} | ${batchSizes.map((b) => cpuCell(points.find((p) => p.batchSize === b))).join(' | ')} |`;
  })
  .join('\n')}

| the stream runner end to end | DynamoDB client | records | µs per record | records a second per core |
| --- | --- | --- | --- | --- |
${cpu.runner.map((p) => `| ${p.idempotency} | ${p.sdk ? "the SDK's, over HTTP answering at once" : 'answering at once'} | ${thousands(p.records)} | ${one(p.microsPerRecord)} | ${thousands(p.recordsPerCoreSecond)} |`).join('\n')}

### Sizing

A DynamoDB partition writes at most ${thousands(PARTITION_WRITES_PER_SECOND)} items a second, so a stream shard carries at most about that
many records a second. One core of the service's task runs the runner, the projection and the
SDK at ${thousands(slowest)} records a second on this machine (the slower mode, the mixed workload with three
windows): about ${Math.floor(slowest / PARTITION_WRITES_PER_SECOND)} partitions of sustained writes, before the network's wait (which costs no
CPU) and DynamoDB's own limits. The SDK's own work per request dominates: a shard watermark
sends one conditional \`UpdateItem\` per counts item and batch (${runnerWrites === undefined ? 'about 1.3' : two(runnerWrites)} per record here, its
WCU), where refs pack up to 100 actions in one transaction, so a watermark task's CPU follows
the writes it sends. Node.js runs all of it on one thread: one task's ceiling is one core.
Beyond that, see [docs/deploy.md](docs/deploy.md) and [docs/decisions.md](docs/decisions.md).
`;
};
