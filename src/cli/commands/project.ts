import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { CounterProjection } from '../../counterProjection/index.js';
import { StreamRunner } from '../../streamRunner/index.js';
import { connect, type ConnectionOptions } from '../connection.js';
import { loadCountersModule } from '../loadCountersModule.js';
import { renderTable } from '../render.js';

interface ProjectionOptions extends ConnectionOptions {
  counters: string;
  countsTable: string;
}

const makeProjection = async (options: ProjectionOptions, dynamoDBClient: DynamoDBClient) => {
  const { counters, sourceEventStores } = await loadCountersModule(options.counters);
  return new CounterProjection({
    dynamoDBClient,
    countsTableName: options.countsTable,
    sourceEventStores,
    counters,
  });
};

/** `run`: projects the live stream with the module's counters until stopped (Ctrl-C). */
export const runCommand = async (
  options: ProjectionOptions & {
    eventTable: string;
    checkpointTable: string;
    consumer: string;
    from: 'TRIM_HORIZON' | 'LATEST';
    batchSize: number;
    batchingWindow: number;
    maxRetries: number;
  },
): Promise<void> => {
  const connection = await connect(options);
  try {
    const projection = await makeProjection(options, connection.dynamoDBClient);
    let lastLog = 0;
    const runner = new StreamRunner({
      dynamoDBClient: connection.dynamoDBClient,
      streamsClient: connection.streamsClient,
      tableName: options.eventTable,
      checkpointTableName: options.checkpointTable,
      consumerName: options.consumer,
      startingPosition: options.from,
      batchSize: options.batchSize,
      maximumBatchingWindowMs: options.batchingWindow,
      // No dead letter here: retry (Lambda's default) rather than stop or skip.
      maximumRetryAttempts: options.maxRetries,
      handler: (records) => projection.processRecords(records),
      onProgress: ({ read, committed, deadLettered, lagMs }) => {
        if (Date.now() - lastLog < 1_000) return;
        lastLog = Date.now();
        console.log(
          `read ${read}, committed ${committed}, dead-lettered ${deadLettered}, lag ${lagMs === undefined ? '-' : `${Math.round(lagMs / 1000)} s`}`,
        );
      },
    });
    console.log(
      `Projecting the stream of ${options.eventTable} into ${options.countsTable}; Ctrl-C stops after the batch in flight.`,
    );
    const { committed } = await runner.run();
    console.log(`Stopped after committing ${committed} records.`);
  } finally {
    await connection.close();
  }
};

/** `rebuild`: counts every event already in the event table; safe beside a live projection. */
export const rebuildCommand = async (
  options: ProjectionOptions & { eventTable: string; segments: number },
): Promise<void> => {
  const connection = await connect(options);
  try {
    const projection = await makeProjection(options, connection.dynamoDBClient);
    const stats = await projection.rebuild({
      eventTableName: options.eventTable,
      segments: options.segments,
    });
    console.log(
      `Rebuilt from ${stats.events} events: ${stats.counted} increments applied, ${stats.duplicates} already counted, ${stats.skipped} records skipped.`,
    );
  } finally {
    await connection.close();
  }
};

/** `counts get`: one count (or a window bucket's). */
export const countsGetCommand = async (
  options: ProjectionOptions & {
    counter: string;
    key: string[];
    window?: 'minute' | 'hour' | 'day';
    bucket?: string;
  },
): Promise<void> => {
  const connection = await connect(options);
  try {
    const projection = await makeProjection(options, connection.dynamoDBClient);
    const window =
      options.window !== undefined
        ? { window: options.window, bucket: options.bucket ?? new Date() }
        : {};
    const counts = await projection.getCounts(
      options.key.map((key) => ({ counterName: options.counter, key, ...window })),
    );
    console.log(
      renderTable(
        ['counter', 'key', ...(options.window !== undefined ? ['bucket'] : []), 'count'],
        options.key.map((key, index) => [
          options.counter,
          key,
          ...(options.window !== undefined ? [String(options.bucket ?? 'now')] : []),
          counts[index] ?? 0,
        ]),
      ),
    );
  } finally {
    await connection.close();
  }
};

/** `counts list`: the non-empty buckets of a window, or the refs a key counted. */
export const countsListCommand = async (
  options: ProjectionOptions & {
    counter: string;
    key: string;
    window?: 'minute' | 'hour' | 'day';
    from?: string;
    to?: string;
    limit: number;
  },
): Promise<void> => {
  const connection = await connect(options);
  try {
    const projection = await makeProjection(options, connection.dynamoDBClient);
    if (options.window !== undefined) {
      const to = options.to ?? new Date().toISOString();
      const from = options.from ?? new Date(Date.parse(to) - 24 * 3600 * 1000).toISOString();
      const buckets = await projection.getWindowedCounts(options.counter, options.key, {
        window: options.window,
        from,
        to,
      });
      console.log(
        renderTable(
          ['bucket', 'count'],
          buckets.map(({ bucket, count }) => [bucket, count]),
        ),
      );
      return;
    }
    const { refs, nextPageToken } = await projection.listCountedRefs(options.counter, options.key, {
      limit: options.limit,
    });
    console.log(
      renderTable(
        ['targetRef', 'by', 'counted at'],
        refs.map(({ targetRef, by, countedAt }) => [targetRef, by, countedAt]),
      ),
    );
    if (nextPageToken !== undefined)
      console.log(`(first ${refs.length} refs; raise --limit for more)`);
  } finally {
    await connection.close();
  }
};
