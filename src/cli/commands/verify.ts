import type { VerifyProgress, VerifyReport } from '../../counterProjection/index.js';
import { countOf } from '../../shared/index.js';
import { defineCommand } from '../command.js';
import { withProjection } from '../frame/withProjection.js';
import { err, out } from '../io.js';
import { endpointOption, type RecountFlags, recountInput, recountOptions } from '../options.js';
import { renderTable } from '../output/render.js';

/**
 * `verify`: recounts the counters from the event table and compares with the counts table;
 * never writes. Progress on stderr, the differences on stdout; exits 2 on any, 0 when none.
 */
export const verify = defineCommand({
  path: ['verify'],
  define: (command) =>
    recountOptions(
      command.description(
        'recount the counters from the event table and compare with the counts table (reads only); exits 2 on any difference',
      ),
      'verify',
    ).addOption(endpointOption()),
  action: async (options: RecountFlags) =>
    withProjection(options, async (projection) => {
      const report = await projection.verify({
        ...recountInput(options),
        onProgress: progressOnStderr(),
      });
      for (const line of reportLines(report)) out(line);
      return report.differences.length === 0 ? 0 : 2;
    }),
});

/** A line at most a second per table, and one as each table's scan starts. */
const progressOnStderr = () => {
  let last: { table: string; at: number } | undefined;
  return ({ table, itemsRead }: VerifyProgress): void => {
    const now = Date.now();
    if (last?.table === table && now - last.at < 1_000) return;
    last = { table, at: now };
    err(`verify: ${countOf(itemsRead, 'item')} read of the ${table} table`);
  };
};

/** What an operator needs to read the differences right, then the differences. */
export const reportLines = (report: VerifyReport): string[] => [
  `Recounted ${countOf(report.counters.length, 'counter')} from ${countOf(report.events, 'event')} of the event table (${countOf(report.skipped, 'item')} skipped: not events of the source stores).`,
  ...report.counters.flatMap(({ counterName, notExact }) =>
    notExact === undefined
      ? []
      : [
          `Counter ${counterName} is marked not exact since ${notExact.since} (${notExact.reason}): its reads refuse until it is rebuilt.`,
        ],
  ),
  ...(report.uncountable.count === 0
    ? []
    : [
        `${countOf(report.uncountable.count, 'event')} no counter can count (not counted here; the live projection stops at them): ${report.uncountable.errors.join('; ')}`,
      ]),
  ...(report.setAside.waiting === 0
    ? []
    : [
        `${countOf(report.setAside.waiting, 'record')} set aside by shardWatermark batches wait for count-set-aside (status --counts-table lists them): their counts are missing until then.`,
      ]),
  ...(report.expiredBuckets === 0
    ? []
    : [
        `${countOf(report.expiredBuckets, 'window bucket')} past retention (expired in the table by TTL) not compared.`,
      ]),
  ...differenceLines(report),
];

const differenceLines = ({ differences }: VerifyReport): string[] =>
  differences.length === 0
    ? ['No differences: every total and window bucket holds what the events count.']
    : [
        renderTable(
          ['counter', 'key', 'window', 'bucket', 'expected', 'actual', 'kind'],
          differences.map(({ counterName, key, window, bucket, expected, actual, kind }) => [
            counterName,
            key,
            window ?? '(total)',
            bucket ?? '',
            expected.toString(),
            actual.toString(),
            kind,
          ]),
        ),
        `${countOf(differences.length, 'difference')}: a count of the table is not what the events count.`,
      ];
