import type { EventStore } from '@castore/core';

import { type Counter, CounterProjection } from '../../counterProjection/index.js';
import { StreamRunner } from '../../streamRunner/index.js';
import { type Connection, type ConnectionOptions, withConnection } from '../connection.js';
import { loadCountersModule } from '../loadCountersModule.js';
import { renderTable } from '../render.js';

interface ProjectionOptions extends ConnectionOptions {
  counters: string;
  countsTable: string;
}

// The module is only known at run time: its counters' names and keys are plain strings here.
type ModuleProjection = CounterProjection<EventStore, Counter>;

/** A command's frame: the module's projection on a connection closed whatever happens. */
const withProjection = <T>(
  options: ProjectionOptions,
  use: (projection: ModuleProjection, connection: Connection) => Promise<T>,
): Promise<T> =>
  withConnection(options, async (connection) => {
    const { counters, sourceEventStores } = await loadCountersModule(options.counters);
    const projection = new CounterProjection({
      dynamoDBClient: connection.dynamoDBClient,
      countsTableName: options.countsTable,
      sourceEventStores,
      counters,
    });
    return use(projection, connection);
  });

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
  await withProjection(options, async (projection, connection) => {
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
  });
};

/** `rebuild`: counts every event already in the event table; safe beside a live projection. */
export const rebuildCommand = async (
  options: ProjectionOptions & { eventTable: string; segments: number },
): Promise<void> => {
  await withProjection(options, async (projection) => {
    const stats = await projection.rebuild({
      eventTableName: options.eventTable,
      segments: options.segments,
    });
    console.log(
      `Rebuilt from ${stats.events} events: ${stats.counted} increments applied, ${stats.duplicates} already counted, ${stats.skipped} records skipped.`,
    );
  });
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
  await withProjection(options, async (projection) => {
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
  });
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
  await withProjection(options, async (projection) => {
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
  });
};
