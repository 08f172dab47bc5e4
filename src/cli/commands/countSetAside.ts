import { countOf } from '../../shared/index.js';
import { out } from '../io.js';
import { type ProjectionOptions, withProjection } from './project.js';

/**
 * `count-set-aside`: counts through refs the records that stream batches of shardWatermark
 * counters set aside, once their cause is fixed. Exits 1 while some still fail.
 */
export const countSetAsideCommand = async (options: ProjectionOptions): Promise<number> =>
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
  });
