import { randomUUID } from 'node:crypto';

import { createEventTable } from '../../adapter/index.js';
import { dropTables } from '../../dynamoDBLocal/index.js';
import type { Connection } from '../frame/withConnection.js';
import { out } from '../io.js';
import { createTables } from '../tables/createTables.js';
import type { DemoOptions } from './demoOptions.js';

/**
 * The embedded server takes its tables with it; on a server of the user's (--endpoint),
 * four tables with streams would pile up at every run, so they are dropped unless --keep.
 */
export const cleanUpTables = async ({
  connection,
  names,
  options,
}: {
  connection: Connection;
  names: Record<string, string>;
  options: DemoOptions;
}) => {
  if (options.endpoint === undefined) return;
  const tables = Object.values(names);
  if (options.keep === true) {
    out(`Kept the tables ${tables.join(', ')} (--keep).`);
    return;
  }
  await dropTables(connection.dynamoDBClient, tables);
  out(`Dropped the demo's tables from ${options.endpoint} (pass --keep to keep them).`);
};

/** Tables of their own for each run, so that runs against one --endpoint never mix. */
export const createDemoTables = async (connection: Connection) => {
  const suffix = randomUUID().slice(0, 8);
  const names = {
    eventTable: `demo-events-${suffix}`,
    countsTable: `demo-counts-${suffix}`,
    checkpointTable: `demo-checkpoints-${suffix}`,
    reactionsTable: `demo-reactions-${suffix}`,
  };
  await createTables(connection.dynamoDBClient, { ...names, reactions: true });
  await createEventTable({
    dynamoDBClient: connection.dynamoDBClient,
    tableName: names.reactionsTable,
  });
  out(`Tables ${Object.values(names).join(', ')} created on ${connection.endpoint ?? 'AWS'}.`);
  return names;
};
