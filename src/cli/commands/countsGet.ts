import { bucketOf, type CounterWindow } from '../../counterProjection/index.js';
import { defineCommand } from '../command.js';
import { type ProjectionOptions, withProjection } from '../frame/withProjection.js';
import { out } from '../io.js';
import { counterReadOptions, endpointOption, windowOption } from '../options.js';
import { renderTable } from '../output/render.js';

/** `counts get`: one count per key (or a window bucket's). */
export const countsGet = defineCommand({
  path: ['counts', 'get'],
  define: (command) =>
    counterReadOptions(command.description('read counts of keys of a counter'))
      .requiredOption('--key <key...>', 'one or more keys')
      .addOption(windowOption())
      .option('--bucket <time>', 'with --window: a time or bucket (now when absent)')
      .addOption(endpointOption()),
  action: async (
    options: ProjectionOptions & {
      counter: string;
      key: string[];
      window?: CounterWindow;
      bucket?: string;
    },
  ) =>
    withProjection(options, async (projection) => {
      // Resolved once, so that the table shows the bucket that was read, not "now".
      const window =
        options.window === undefined
          ? undefined
          : {
              window: options.window,
              bucket: bucketOf(options.window, options.bucket ?? new Date()),
            };
      const counts = await projection.getCounts(
        options.key.map((key) => ({ counterName: options.counter, key, ...window })),
      );
      out(
        renderTable(
          ['counter', 'key', ...(window !== undefined ? ['bucket'] : []), 'count'],
          options.key.map((key, index) => [
            options.counter,
            key,
            ...(window !== undefined ? [window.bucket] : []),
            counts[index] ?? 0,
          ]),
        ),
      );
      return 0;
    }),
});
