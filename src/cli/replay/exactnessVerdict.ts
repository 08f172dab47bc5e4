import { readCountsHealth } from '../../counterProjection/index.js';
import type { Connection } from '../frame/withConnection.js';
import type { ProjectionOptions } from '../frame/withProjection.js';
import { out } from '../io.js';
import { notExactLine } from '../output/statusLines.js';

/**
 * What a replay says last: a shardWatermark counter cannot count a dead letter's records
 * through its marks (they come again out of their shard's order), so a replay marks it not
 * exact and counts nothing into it; the dead letter is still deleted, as its records are in
 * the event table for `rebuild`. A replay that counted all it could then exits 2, as when
 * records were past the stream's retention: the counts need a rebuild, not success.
 */
export const exactnessVerdict = async (
  connection: Connection,
  { countsTable, counterNames }: { countsTable: string; counterNames: readonly string[] },
  code: number,
): Promise<number> => {
  const { notExact } = await readCountsHealth({
    dynamoDBClient: connection.dynamoDBClient,
    tableName: countsTable,
  });
  const ours = notExact.filter(({ counterName }) => counterNames.includes(counterName));
  for (const counter of ours) out(notExactLine(counter));
  return ours.length > 0 && code === 0 ? 2 : code;
};

/** The counts table and the counters a replay counted into. */
export const countersOf = (
  { countsTable }: Pick<ProjectionOptions, 'countsTable'>,
  projection: { counters: readonly { name: string }[] },
) => ({ countsTable, counterNames: projection.counters.map(({ name }) => name) });
