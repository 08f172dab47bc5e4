import { countOf } from '../../shared/index.js';
import { defineCommand } from '../command.js';
import { type ProjectionOptions, withProjection } from '../frame/withProjection.js';
import { out } from '../io.js';
import { countersOption, endpointOption } from '../options.js';

/**
 * `count-set-aside`: counts through refs the records that stream batches of shardWatermark
 * counters set aside, once their cause is fixed. Exits 1 while some still fail.
 */
export const countSetAside = defineCommand({
  path: ['count-set-aside'],
  define: (command) =>
    command
      .description(
        "count the records that shardWatermark counters' batches set aside (they failed for a reason of their own), once fixed",
      )
      .addOption(countersOption())
      .requiredOption('--counts-table <name>')
      .addOption(endpointOption()),
  action: async (options: ProjectionOptions) =>
    withProjection(options, async (projection) => {
      const { counted, stillFailing } = await projection.countSetAside();
      out(`Counted ${countOf(counted, 'record')} set aside.`);
      for (const { shardId, sequenceNumber, error } of stillFailing)
        out(`Record ${sequenceNumber} of shard ${shardId} still fails: ${error}`);
      if (stillFailing.length === 0) return 0;
      out(
        `${countOf(stillFailing.length, 'record')} still failing: fix the counters module (or the events), then run count-set-aside again.`,
      );
      return 1;
    }),
});
