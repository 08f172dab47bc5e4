import type { EventStore } from '@castore/core';

import {
  type Counter,
  CounterProjection,
  type ProjectionMetrics,
} from '../../counterProjection/index.js';
import { failureLog } from '../output/failureLog.js';
import { type CountersModule, loadCountersModule } from './loadCountersModule.js';
import { assertTablesExist } from './tablesExist.js';
import { type Connection, type ConnectionOptions, withConnection } from './withConnection.js';

export interface ProjectionOptions extends ConnectionOptions {
  counters: string;
  countsTable: string;
}

// The module is only known at run time: its counters' names and keys are plain strings here.
type ModuleProjection = CounterProjection<EventStore, Counter>;

/**
 * The frame of every command that counts or reads counts, inside withConnection's: the
 * counters module loaded, the tables checked, the module's projection on a connection
 * closed whatever happens.
 */
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
