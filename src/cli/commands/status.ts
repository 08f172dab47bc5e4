// In a file of its own, as `run`: it reads the stream (the optional streams client).
import { readCountsHealth } from '../../counterProjection/index.js';
import { type ConsumerStatus, streamStatus } from '../../streamRunner/index.js';
import { type ConnectionOptions, withConnection } from '../connection.js';
import { out } from '../io.js';
import { countsHealthLines, statusLines } from '../statusLines.js';
import { assertTablesExist } from '../tablesExist.js';

/**
 * `status`: where each consumer of the event table's stream stands, per shard. With
 * `--max-lag`, exits 2 when a consumer's oldest waiting record is older than that (a
 * health check); 0 otherwise.
 */
export const statusCommand = async (
  options: ConnectionOptions & {
    eventTable: string;
    checkpointTable: string;
    consumer?: string;
    maxLag?: number;
    countsTable?: string;
  },
): Promise<number> =>
  withConnection(options, async (connection) => {
    await assertTablesExist(connection.dynamoDBClient, options);
    const consumers: ConsumerStatus[] = await streamStatus({
      dynamoDBClient: connection.dynamoDBClient,
      streamsClient: await connection.streamsClient('status'),
      tableName: options.eventTable,
      checkpointTableName: options.checkpointTable,
      ...(options.consumer !== undefined ? { consumerName: options.consumer } : {}),
    });
    const maxLagMs = options.maxLag === undefined ? undefined : options.maxLag * 1000;
    const { lines, healthy } = statusLines(consumers, { maxLagMs });
    const counts =
      options.countsTable === undefined
        ? { lines: [], healthy: true }
        : countsHealthLines(
            await readCountsHealth({
              dynamoDBClient: connection.dynamoDBClient,
              tableName: options.countsTable,
            }),
          );
    for (const line of [...lines, ...counts.lines]) out(line);
    return healthy && counts.healthy ? 0 : 2;
  });
