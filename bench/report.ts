import type { BenchResults } from './benchResults.js';
import { comparisonTable } from './comparisonTable.js';
import { CONTIGUOUS_PUSH, CONTIGUOUS_PUSH_NAME, PLAIN_PUSH } from './contiguousPushSuite.js';
import { goalsTable } from './goals.js';
import { type Comparison, ratioBetween } from './harness.js';
import { COUNTING_ALONE, COUNTING_AND_REACTING, COUNTING_WITH_STREAM } from './reactionsSuite.js';
import type { ScalePoint } from './scaleSuite.js';
import { watermarkHeadline } from './watermarkGoals.js';
import { cpuSection, watermarkSection } from './watermarkReport.js';
import { isWatermarkComparison } from './watermarkSuite.js';

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The headline ratios, as measured: README quotes these. */
export const headlines = (results: BenchResults): string[] => {
  const ours = 'castore-dynamodb-counter';
  const reference = '@castore reference 2.4.2';
  const adapterRaw = results.adapter.map((c) => ({
    name: c.name,
    raw: ratioBetween(c, ours, c.baseline),
    reference: ratioBetween(c, ours, reference),
  }));
  // The requireContiguousVersions comparisons have no reference contender.
  const againstReference = adapterRaw.map((a) => a.reference).filter(Number.isFinite);
  const last = results.adapter.find((c) => c.name.startsWith('last event'));
  const mixed = results.projection.comparisons.filter(
    (c) =>
      (c.name.includes('hot counter,') || c.name.includes('% on one hot')) &&
      !isWatermarkComparison(c),
  );
  const biggest = mixed[mixed.length - 1];
  const hot = results.projection.comparisons.find((c) => c.name === 'hot counter only');
  const oursDesign = 'castore-dynamodb-counter (coalesced)';
  return [
    `Adapter: between ${fmt(Math.min(...adapterRaw.map((a) => a.raw)), 2)}× and ${fmt(Math.max(...adapterRaw.map((a) => a.raw)), 2)}× the raw SDK's throughput (lowest: ${slowest(adapterRaw)?.name ?? ''}), and ${fmt(Math.min(...againstReference), 2)}× to ${fmt(Math.max(...againstReference), 0)}× the reference adapter's.`,
    contiguousHeadline(results.adapter),
    `Reading the last event of a ${last?.name.match(/(\d+)-event/)?.[1] ?? ''}-event aggregate: ${fmt(ratioBetween(last, ours, reference), 0)}× the reference adapter's throughput.`,
    `Counting ${(biggest?.name ?? '').replace(/^\d+/, (n) => fmt(Number(n)))}: ${fmt(ratioBetween(biggest, oursDesign, 'one transaction per event'), 2)}× the events/s of one transaction per event, ${fmt(ratioBetween(biggest, oursDesign, 'plain ADD (not idempotent)'), 2)}× a plain non-idempotent ADD.`,
    `Hot counter: ${fmt(hot?.results.find((r) => r.name === oursDesign)?.wcuPerOperation ?? NaN, 2)} WCU per event (one transaction per event: ${fmt(hot?.results.find((r) => r.name === 'one transaction per event')?.wcuPerOperation ?? NaN, 2)}).`,
    watermarkHeadline(results.projection.comparisons, results.watermarkMeasured),
    itemSizeHeadline(results, oursDesign),
    reactionsHeadline(results.projection.reactions),
    endToEndHeadline(results.scale),
  ];
};

const reactionsHeadline = (reactions: Comparison | undefined): string => {
  if (reactions === undefined) return 'Reactions: not measured.';
  const of = (name: string) => reactions.results.find((r) => r.name === name);
  const alone = of(COUNTING_ALONE);
  const reacting = of(COUNTING_AND_REACTING);
  const withStream = ratioBetween(reactions, COUNTING_WITH_STREAM, COUNTING_ALONE);
  return `Reactions: counting then reacting runs at ${fmt(ratioBetween(reactions, COUNTING_AND_REACTING, COUNTING_ALONE), 2)}× the events/s of counting alone (counting into a table with a stream, nothing reacting: ${fmt(withStream, 2)}×, DynamoDB Local's own cost of the stream) and costs ${fmt(reacting?.wcuPerOperation ?? NaN, 2)} WCU per event (alone: ${fmt(alone?.wcuPerOperation ?? NaN, 2)}), with ${reacting?.notes ?? 'crossings'} (${reactions.name.replace(/^.*: /, '')}).`;
};

const reactionsSection = (
  reactions: Comparison | undefined,
  measured: BenchResults['reactionsMeasured'],
): string =>
  reactions === undefined
    ? 'Not measured in this run.'
    : `${measured === undefined ? '' : `Measured on ${measured.date} alone (\`npm run bench -- --reactions-only${measured.quick ? ' --quick' : ''}\`), on a fresh DynamoDB Local. `}The same events counted into a counts table without a stream, against counted into one with its
\`NEW_AND_OLD_IMAGES\` stream that the reactions then read whole (the Streams API, batches of 500),
pushing one \`COUNT_REACHED\` event per crossing. Thresholds 1, 10, 100 and 1,000: every key's first
event crosses 1, so the cold keys make many crossings; real thresholds are rarer. WCU: the counting's
and the pushes' (a stream costs no WCU to write or read; AWS bills its reads as stream read requests).
The third row counts into a table with its stream that nothing reads: on DynamoDB Local a stream slows
the table's writes, the more the longer it grows (AWS's streams do not); the reactions' own cost is the
difference between it and the last row.

${comparisonTable(reactions)}`;

const contiguousHeadline = (adapter: Comparison[]): string => {
  const comparisons = adapter.filter((c) => c.name.startsWith(CONTIGUOUS_PUSH_NAME));
  if (comparisons.length === 0) return 'requireContiguousVersions: not measured.';
  const wcu = (name: string) =>
    fmt(comparisons[0]?.results.find((r) => r.name === name)?.wcuPerOperation ?? NaN, 2);
  const ratios = comparisons
    .map(
      (c) =>
        `${fmt(ratioBetween(c, CONTIGUOUS_PUSH, PLAIN_PUSH), 2)}× (${c.name.replace(/^.*, /, '')})`,
    )
    .join(' and ');
  return `requireContiguousVersions: pushing version 2 runs at ${ratios} the plain push's throughput and costs ${wcu(CONTIGUOUS_PUSH)} WCU per push (plain: ${wcu(PLAIN_PUSH)}).`;
};

const slowest = <T extends { raw: number }>(ratios: T[]): T | undefined =>
  [...ratios].sort((a, b) => a.raw - b.raw)[0];

const itemSizeHeadline = (
  { projection, projectionSizes }: BenchResults,
  oursDesign: string,
): string => {
  const [first, last] = [
    projectionSizes[0] as number,
    projectionSizes[projectionSizes.length - 1] as number,
  ];
  const bytes = (design: string, size: number) =>
    fmt(projection.hotItemBytes[design]?.[size] ?? NaN);
  return `The hot counter's item: ${bytes(oursDesign, first)} bytes after ${fmt(first)} events and ${bytes(oursDesign, last)} after ${fmt(last)}; with the refs listed in the item, ${bytes('refs listed in the counter item', first)} and ${bytes('refs listed in the counter item', last)} bytes.`;
};

const endToEndHeadline = (scale: ScalePoint[]): string => {
  const [first, last] = [scale[0], scale[scale.length - 1]];
  if (first === undefined || last === undefined) return 'End to end: not measured.';
  const memory = scale.map((p) => p.runnerPeakMb);
  return `End to end (push -> stream -> runner -> counts): ${fmt(first.eventsPerSecond)} events/s at ${fmt(first.events)} events, ${fmt(last.eventsPerSecond)} at ${fmt(last.events)}${scale.every((p) => p.exact) ? ', every count exact' : ', **some counts not exact**'}; the runner's peak memory ${fmt(Math.min(...memory))} to ${fmt(Math.max(...memory))} MB.`;
};

const ITEM_LIMIT_BYTES = 400 * 1024;

/** Where the list-in-item design stops: its growth per hot ref, measured, extrapolated to DynamoDB's 400 KB. */
const itemLimitLine = ({ projection, projectionSizes }: BenchResults): string => {
  const bytes = projection.hotItemBytes['refs listed in the counter item'];
  const [first, last] = [
    projectionSizes[0] as number,
    projectionSizes[projectionSizes.length - 1] as number,
  ];
  const hotFirst = projection.hotEvents?.[first];
  const hotLast = projection.hotEvents?.[last];
  if (
    bytes?.[first] === undefined ||
    bytes[last] === undefined ||
    hotFirst === undefined ||
    hotLast === undefined ||
    hotLast === hotFirst
  )
    return '';
  const perRef = (bytes[last] - bytes[first]) / (hotLast - hotFirst);
  const refsAtLimit = hotLast + (ITEM_LIMIT_BYTES - bytes[last]) / perRef;
  return `The list-in-item design's counter item grew by ${fmt(perRef, 1)} bytes per counted ref (${fmt(hotFirst)} to ${fmt(hotLast)} hot refs): at that rate it reaches DynamoDB's 400 KB item limit at about ${fmt(Math.round(refsAtLimit / 100) * 100)} refs on one counter, and every later event of that counter fails. The other designs' items do not grow.\n`;
};

export const renderMarkdown = (results: BenchResults): string => {
  const { projection } = results;
  const designs = Object.keys(projection.hotItemBytes);
  return `# Benchmarks

Measured by \`npm run bench${results.settings.quick ? ' -- --quick' : ''}\` on ${results.date}: ${results.machine.cpus} cores shared by
DynamoDB Local ${results.machine.dynamoDBLocal} and the client, Node.js ${results.machine.node}. Every comparison runs its
contenders against the same server in one run, ${results.settings.warmup} warm-up round then ${results.settings.adapterRounds}
measured rounds (adapter) or ${results.settings.projectionRounds} (projection), rotating their order each round; medians, minimum and maximum of the rounds. A ratio
is the median over rounds of the two rates measured in the same round, so that what drifts between
rounds cancels out. Absolute numbers vary about 20% run to run on this machine: read the ratios. WCU are what AWS would bill:
DynamoDB's own figure (ReturnConsumedCapacity) for single-item writes, and AWS's rule (2 WCU per started
KB per item) for transactions, which DynamoDB Local under-reports. Raw data: [bench/results.json](bench/results.json).

## Headlines

${headlines(results)
  .map((line) => `- ${line}`)
  .join('\n')}

## Against the goals

${goalsTable(results)}

Every contender of an adapter comparison sends the same DynamoDB requests, and the adapters'
own work (building and reading items) costs microseconds against about 2 ms per request here
(the event group rows also pass through Castore's \`EventStore\`, which the raw baseline skips).
A ratio a few hundredths under 0.95 is within this machine's run-to-run noise: compare it with
the reference's ratio in the same row.

## The adapter

Goal: at least 0.95 of the raw SDK's throughput, never slower than the reference, far ahead where the
reference reads too much.

${results.adapter.map(comparisonTable).join('\n')}
## The counter projection

The same stream of \`ORDER_PLACED\` records, counted in batches of 500 by four designs: this library
(coalesced transactions with per-ref items), one transaction per event (a ref item plus the counter's ADD),
the refs kept in a list inside the counter item (\`list_append\` guarded by \`NOT contains\`), and a plain
\`ADD\` (no idempotency: the floor). Per-event designs run 16 writes at a time. The largest
size runs one round without warm-up (the list-in-item design takes minutes there).

${projection.comparisons
  .filter((c) => !isWatermarkComparison(c))
  .map(comparisonTable)
  .join('\n')}
![events per second by design](bench/chart.svg)

### The hot counter's item as the count grows (bytes)

| design | ${results.projectionSizes.map((s) => `${fmt(s)} events`).join(' | ')} |
|${' --- |'.repeat(results.projectionSizes.length + 1)}
${designs.map((d) => `| ${d} | ${results.projectionSizes.map((s) => fmt(projection.hotItemBytes[d]?.[s] ?? NaN)).join(' | ')} |`).join('\n')}

${itemLimitLine(results)}
${Object.entries(projection.failures)
  .map(([design, byWorkload]) =>
    Object.entries(byWorkload)
      .map(
        ([workload, error]) =>
          `- ${design}, ${workload}: could not count every event: ${error.slice(0, 160)}`,
      )
      .join('\n'),
  )
  .join('\n')}

### What reactions add

${reactionsSection(projection.reactions, results.reactionsMeasured)}

### Exact when batches are delivered again

2,000 events, then three overlapping batches delivered a second time:

| design | hot count | expected | exact |
| --- | --- | --- | --- |
${Object.entries(projection.exactUnderRedelivery)
  .map(
    ([d, r]) =>
      `| ${d} | ${fmt(r.hotCount)} | ${fmt(r.expected)} | ${r.exact ? 'yes' : '**no: double counts**'} |`,
  )
  .join('\n')}

${watermarkSection(results)}
${cpuSection(results)}
## End to end

Castore pushes (32 in flight) -> the table's stream -> the stream runner (the CLI's \`run\`, its own process)
-> counts, timed from the first push until every count equals what was pushed, on a fresh DynamoDB
Local (the in-memory server is slower after the suites above). The runner gathers batches of up to
1,000 records for up to 1 s.

| events | seconds | events/s | runner peak memory (MB) | exact |
| --- | --- | --- | --- | --- |
${results.scale.map((p) => `| ${fmt(p.events)} | ${fmt(p.seconds, 1)} | ${fmt(p.eventsPerSecond)} | ${fmt(p.runnerPeakMb)} | ${p.exact ? 'yes' : 'no'} |`).join('\n')}
`;
};
