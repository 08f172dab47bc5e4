import { isEventAlreadyExistsError } from '@castore/core';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { dropTables } from '../../src/dynamoDBLocal/dropTables.js';
import { isCounterError } from '../../src/shared/counterError.js';
import { createPipelineTables, makeClients } from '../setUp.js';
import type { Verdict } from '../verify.js';

/**
 * `writers` concurrent writers push the next version of the same few aggregates, each
 * retrying from a fresh read on EventAlreadyExists, as Castore commands do. With
 * requireContiguousVersions each push is a transaction: one cancelled by a conflicting
 * transaction in flight (EventGroupCancelled) is retried the same way.
 */
export const writeRaces = async ({
  endpoint,
  writers,
  pushesPerWriter,
  aggregates,
  requireContiguousVersions = false,
}: {
  endpoint: string;
  writers: number;
  pushesPerWriter: number;
  aggregates: number;
  requireContiguousVersions?: boolean;
}): Promise<Verdict> => {
  const { client, streamsClient } = makeClients(endpoint);
  try {
    const tables = await createPipelineTables(client, { reactions: false });
    const { eventTable } = tables;
    const adapter = new DynamoDBSingleTableEventStorageAdapter({
      tableName: eventTable,
      dynamoDBClient: client,
      requireContiguousVersions,
    });
    const context = { eventStoreId: 'race' };
    const acknowledged: { aggregateId: string; version: number; writer: number; push: number }[] =
      [];
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let push = 0; push < pushesPerWriter; push++) {
          const aggregateId = `aggregate-${(writer + push) % aggregates}`;
          for (;;) {
            const { events } = await adapter.getEvents(aggregateId, context, {
              reverse: true,
              limit: 1,
            });
            const version = (events[0]?.version ?? 0) + 1;
            try {
              await adapter.pushEvent(
                { aggregateId, version, type: 'WRITTEN', payload: { writer, push } },
                context,
              );
              acknowledged.push({ aggregateId, version, writer, push });
              break;
            } catch (error) {
              if (
                !isEventAlreadyExistsError(error) &&
                !isCounterError(error, 'EventGroupCancelled')
              )
                throw error;
              conflicts += 1;
            }
          }
        }
      }),
    );
    let stored = 0;
    let versionGaps = 0;
    let lostAcknowledged = 0;
    for (let index = 0; index < aggregates; index++) {
      const aggregateId = `aggregate-${index}`;
      const { events } = await adapter.getEvents(aggregateId, context);
      stored += events.length;
      if (events.some((event, position) => event.version !== position + 1)) versionGaps += 1;
      const byVersion = new Map(
        events.map((event) => [event.version, event.payload as { writer: number; push: number }]),
      );
      lostAcknowledged += acknowledged
        .filter((a) => a.aggregateId === aggregateId)
        .filter(
          (a) =>
            byVersion.get(a.version)?.writer !== a.writer ||
            byVersion.get(a.version)?.push !== a.push,
        ).length;
    }
    await dropTables(client, Object.values(tables));
    return {
      scenario: `${writers} writers racing on ${aggregates} aggregates${requireContiguousVersions ? ', contiguous versions required' : ''} (${conflicts} conflicts retried)`,
      pushed: writers * pushesPerWriter,
      acknowledged: acknowledged.length,
      stored,
      countedRefs: 0,
      expectedRefs: 0,
      duplicatesInjected: 0,
      kills: 0,
      deadLettered: 0,
      lostAcknowledged: lostAcknowledged + Math.abs(stored - acknowledged.length),
      partialGroups: 0,
      countMismatches: 0,
      versionGaps,
      reactionDifferences: 0,
    };
  } finally {
    client.destroy();
    streamsClient.destroy();
  }
};
