import { defineCommand } from '../command.js';
import { withProjection } from '../frame/withProjection.js';
import { out } from '../io.js';
import { endpointOption, type RecountFlags, recountInput, recountOptions } from '../options.js';

/** `rebuild`: counts every event already in the event table (into the counters named); safe beside a live projection. */
export const rebuild = defineCommand({
  path: ['rebuild'],
  define: (command) =>
    recountOptions(
      command.description('count every event already in the event table (safe while `run` runs)'),
      'rebuild',
    ).addOption(endpointOption()),
  action: async (options: RecountFlags) =>
    withProjection(options, async (projection) => {
      const stats = await projection.rebuild(recountInput(options));
      out(
        `Rebuilt from ${stats.events} events: ${stats.counted} counter increments applied (one per counter that counts an event), ${stats.duplicates} increments already counted, ${stats.skipped} items skipped (not events of the source stores).`,
      );
      return 0;
    }),
});
