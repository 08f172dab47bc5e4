import { readCountsHealth } from '../../counterProjection/index.js';
import { defineCommand } from '../command.js';
import { streamRunnerModule } from '../frame/optionalModules.js';
import { assertTablesExist } from '../frame/tablesExist.js';
import { type ConnectionOptions, withConnection } from '../frame/withConnection.js';
import { out } from '../io.js';
import { endpointOption, positiveInteger } from '../options.js';
import { countsHealthLines, statusLines } from '../output/statusLines.js';

type StatusOptions = ConnectionOptions & {
  eventTable: string;
  checkpointTable: string;
  consumer?: string;
  maxLag?: number;
  countsTable?: string;
};

/**
 * `status`: where each consumer of the event table's stream stands, per shard; what an
 * operator runs when the projection lags or dead-letters. With `--max-lag`, exits 2 when a
 * consumer's oldest waiting record is older than that (a health check); 0 otherwise.
 */
export const status = defineCommand({
  path: ['status'],
  define: (command) =>
    command
      .description(
        'where each consumer of the event table stream stands, per shard; with --max-lag, a health check (exit 2 past it)',
      )
      .requiredOption('--event-table <name>')
      .requiredOption('--checkpoint-table <name>')
      .option('--consumer <name>', 'one consumer (every consumer with a checkpoint when absent)')
      .option(
        '--counts-table <name>',
        'also report counters marked not exact and records set aside (exit 2 while any)',
      )
      .option(
        '--max-lag <seconds>',
        'exit 2 when a consumer has a record waiting for longer than this',
        (v) => (v === '0' ? 0 : positiveInteger(v)),
      )
      .addOption(endpointOption()),
  action: async (options: StatusOptions) => {
    const { streamStatus } = await streamRunnerModule('status');
    return withConnection(options, async (connection) => {
      await assertTablesExist(connection.dynamoDBClient, options);
      const consumers = await streamStatus({
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
  },
});
