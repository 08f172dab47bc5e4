import {
  bucketOf,
  type CounterWindow,
  defaultListFrom,
  listSpansSaid,
} from '../../counterProjection/index.js';
import { defineCommand } from '../command.js';
import { type ProjectionOptions, withProjection } from '../frame/withProjection.js';
import { out } from '../io.js';
import { counterReadOptions, endpointOption, positiveInteger, windowOption } from '../options.js';
import { renderTable } from '../output/render.js';

type CountsListOptions = ProjectionOptions & {
  counter: string;
  key: string;
  window?: CounterWindow;
  from?: string;
  to?: string;
  limit: number;
};

/** `counts list`: the non-empty buckets of a window, or the refs a key counted. */
export const countsList = defineCommand({
  path: ['counts', 'list'],
  define: (command) =>
    counterReadOptions(
      command.description('list the buckets of a window (--window), or the refs a key counted'),
    )
      .requiredOption('--key <key>')
      .addOption(windowOption())
      .option(
        '--from <time>',
        `with --window: start, a time or bucket (by default, before --to: ${listSpansSaid()})`,
      )
      .option('--to <time>', 'with --window: end, a time or bucket (now by default)')
      .option('--limit <n>', 'refs to list', positiveInteger, 100)
      .addOption(endpointOption()),
  action: async (options: CountsListOptions) =>
    withProjection(options, async (projection) => {
      if (options.window !== undefined) {
        // Bucketed here, so that a bad --to is refused as one (InvalidCountQuery).
        const to = bucketOf(options.window, options.to ?? new Date());
        const from = options.from ?? defaultListFrom(options.window, to);
        const buckets = await projection.getWindowedCounts(options.counter, options.key, {
          window: options.window,
          from,
          to,
        });
        out(
          renderTable(
            ['bucket', 'count'],
            buckets.map(({ bucket, count }) => [bucket, count]),
          ),
        );
        return 0;
      }
      const { refs, nextPageToken } = await projection.listCountedRefs(
        options.counter,
        options.key,
        { limit: options.limit },
      );
      out(
        renderTable(
          ['targetRef', 'by', 'counted at'],
          refs.map(({ targetRef, by, countedAt }) => [targetRef, by, countedAt]),
        ),
      );
      if (nextPageToken !== undefined) out(`(first ${refs.length} refs; raise --limit for more)`);
      return 0;
    }),
});
