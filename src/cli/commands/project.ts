import type { EventStore } from '@castore/core';

import {
  bucketOf,
  type Counter,
  CounterProjection,
  type CounterWindow,
  defaultListFrom,
  type ProjectionMetrics,
} from '../../counterProjection/index.js';
import { type Connection, type ConnectionOptions, withConnection } from '../connection.js';
import { failureLog } from '../failureLog.js';
import { out } from '../io.js';
import { type CountersModule, loadCountersModule } from '../loadCountersModule.js';
import { renderTable } from '../render.js';
import { assertTablesExist } from '../tablesExist.js';

export interface ProjectionOptions extends ConnectionOptions {
  counters: string;
  countsTable: string;
}

// The module is only known at run time: its counters' names and keys are plain strings here.
type ModuleProjection = CounterProjection<EventStore, Counter>;

/** A command's frame: the module's projection on a connection closed whatever happens. */
export const withProjection = <T>(
  options: ProjectionOptions,
  use: (projection: ModuleProjection, connection: Connection, module: CountersModule) => Promise<T>,
  {
    rideOutOutages = false,
    metrics,
  }: { rideOutOutages?: boolean; metrics?: ProjectionMetrics | undefined } = {},
): Promise<T> =>
  withConnection(options, async (connection) => {
    const module = await loadCountersModule(options.counters);
    await assertTablesExist(connection.dynamoDBClient, options, { rideOutOutages });
    const { counters, sourceEventStores, reactions } = module;
    // Reactions may push into the event table itself: their events are then read, not refused.
    const reactionStore = reactions?.eventStore;
    const readsReactions =
      reactionStore === undefined ||
      sourceEventStores.some(({ eventStoreId }) => eventStoreId === reactionStore.eventStoreId);
    const projection = new CounterProjection({
      dynamoDBClient: connection.dynamoDBClient,
      countsTableName: options.countsTable,
      sourceEventStores: readsReactions ? sourceEventStores : [...sourceEventStores, reactionStore],
      counters,
      logger: failureLog(),
      ...(metrics !== undefined ? { metrics } : {}),
    });
    return use(projection, connection, module);
  });

/** `rebuild`: counts every event already in the event table (into the counters named); safe beside a live projection. */
export const rebuildCommand = async (
  options: ProjectionOptions & { eventTable: string; segments: number; counter?: string[] },
): Promise<void> => {
  await withProjection(options, async (projection) => {
    const stats = await projection.rebuild({
      eventTableName: options.eventTable,
      segments: options.segments,
      ...(options.counter !== undefined ? { counterNames: options.counter } : {}),
    });
    out(
      `Rebuilt from ${stats.events} events: ${stats.counted} counter increments applied (one per counter that counts an event), ${stats.duplicates} increments already counted, ${stats.skipped} items skipped (not events of the source stores).`,
    );
  });
};

/** `counts get`: one count (or a window bucket's). */
export const countsGetCommand = async (
  options: ProjectionOptions & {
    counter: string;
    key: string[];
    window?: CounterWindow;
    bucket?: string;
  },
): Promise<void> => {
  await withProjection(options, async (projection) => {
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
  });
};

/** `counts list`: the non-empty buckets of a window, or the refs a key counted. */
export const countsListCommand = async (
  options: ProjectionOptions & {
    counter: string;
    key: string;
    window?: CounterWindow;
    from?: string;
    to?: string;
    limit: number;
  },
): Promise<void> => {
  await withProjection(options, async (projection) => {
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
      return;
    }
    const { refs, nextPageToken } = await projection.listCountedRefs(options.counter, options.key, {
      limit: options.limit,
    });
    out(
      renderTable(
        ['targetRef', 'by', 'counted at'],
        refs.map(({ targetRef, by, countedAt }) => [targetRef, by, countedAt]),
      ),
    );
    if (nextPageToken !== undefined) out(`(first ${refs.length} refs; raise --limit for more)`);
  });
};
