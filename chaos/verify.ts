import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

import { CounterProjection } from '../src/counterProjection/index.js';
import { counters, sourceEventStores } from '../src/example/counters.js';
import { makeCountReachedStore } from '../src/example/eventStores.js';
import { expectedCounts, expectedThresholdCrossings } from '../src/example/expectedCounts.js';
import type { PushedEvent } from '../src/example/pushWorkload.js';
import type { Operation } from '../src/example/workloadPlan.js';
import { ImageParser } from '../src/imageParser/index.js';

/** What a run did and what the tables hold afterwards; every `lost…`, `partial…` and `…Mismatches` must be 0. */
export interface Verdict {
  scenario: string;
  pushed: number;
  acknowledged: number;
  stored: number;
  countedRefs: number;
  expectedRefs: number;
  duplicatesInjected: number;
  kills: number;
  deadLettered: number;
  lostAcknowledged: number;
  partialGroups: number;
  countMismatches: number;
  /** Aggregates whose versions are not 1..n without a hole (write races). */
  versionGaps: number;
  /** COUNT_REACHED events in the reactions table, and the thresholds the stored events reach (scenarios that react). */
  reactionsFired?: number;
  reactionsExpected?: number;
  /** Crossings fired but not reached, reached but not fired, or fired more than once. */
  reactionDifferences: number;
}

const scanAll = async (
  client: DynamoDBClient,
  tableName: string,
  filter?: { expression: string; values: Record<string, AttributeValue> },
) => {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
        ...(filter !== undefined
          ? { FilterExpression: filter.expression, ExpressionAttributeValues: filter.values }
          : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
};

const keyOf = (eventStoreId: string, aggregateId: string, version: number) =>
  `${eventStoreId}#${aggregateId}#${version}`;

/** Compares the acknowledged pushes, the stored events and the counts, from the tables themselves. */
export const verify = async ({
  client,
  tables,
  scenario,
  operations,
  acknowledged,
  duplicatesInjected = 0,
  kills = 0,
  deadLettered = 0,
}: {
  client: DynamoDBClient;
  tables: { eventTable: string; countsTable: string; reactionsTable?: string };
  scenario: string;
  operations: Operation[];
  acknowledged: PushedEvent[];
  duplicatesInjected?: number;
  kills?: number;
  deadLettered?: number;
}): Promise<Verdict> => {
  const verdict = await verifyEvents({
    client,
    tables,
    scenario,
    operations,
    acknowledged,
    duplicatesInjected,
    kills,
    deadLettered,
  });
  const { storedEvents, ...counted } = verdict;
  return tables.reactionsTable === undefined
    ? counted
    : { ...counted, ...(await verifyReactions(client, tables.reactionsTable, storedEvents)) };
};

/**
 * The reactions' events against the crossings the stored events make: each threshold at
 * or below a final count fired once (one COUNT_REACHED, version 1), and nothing else.
 */
const verifyReactions = async (
  client: DynamoDBClient,
  reactionsTable: string,
  stored: PushedEvent[],
) => {
  const parser = new ImageParser({ sourceEventStores: [makeCountReachedStore()] });
  const fired = (await scanAll(client, reactionsTable)).map(
    (item) => parser.parseImage(item).event,
  );
  const firedIds = fired.map(({ aggregateId }) => aggregateId);
  const expected = expectedThresholdCrossings(counters, [
    ...expectedCounts(counters, stored).values(),
  ]);
  const notFired = expected.filter((id) => !firedIds.includes(id)).length;
  const notReached = firedIds.filter((id) => !expected.includes(id)).length;
  const twice = fired.filter(({ version }) => version !== 1).length;
  return {
    reactionsFired: fired.length,
    reactionsExpected: expected.length,
    reactionDifferences: notFired + notReached + twice,
  };
};

const verifyEvents = async ({
  client,
  tables,
  scenario,
  operations,
  acknowledged,
  duplicatesInjected,
  kills,
  deadLettered,
}: {
  client: DynamoDBClient;
  tables: { eventTable: string; countsTable: string };
  scenario: string;
  operations: Operation[];
  acknowledged: PushedEvent[];
  duplicatesInjected: number;
  kills: number;
  deadLettered: number;
}): Promise<Verdict & { storedEvents: PushedEvent[] }> => {
  const parser = new ImageParser({ sourceEventStores });
  const stored: PushedEvent[] = (await scanAll(client, tables.eventTable)).map((item) =>
    parser.parseImage(item),
  );
  const storedByKey = new Map(
    stored.map((message) => [
      keyOf(message.eventStoreId, message.event.aggregateId, message.event.version),
      message,
    ]),
  );
  const lostAcknowledged = acknowledged.filter(({ eventStoreId, event }) => {
    const found = storedByKey.get(keyOf(eventStoreId, event.aggregateId, event.version));
    return (
      found === undefined ||
      JSON.stringify(found.event.payload) !== JSON.stringify(event.payload) ||
      found.event.type !== event.type
    );
  }).length;
  const partialGroups = operations
    .filter((operation) => operation.length > 1)
    .filter(
      (group) =>
        new Set(
          group.map(({ store, aggregateId, version }) =>
            storedByKey.has(keyOf(store, aggregateId, version)),
          ),
        ).size > 1,
    ).length;

  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName: tables.countsTable,
    sourceEventStores,
    counters,
  });
  const expected = [...expectedCounts(counters, stored).values()];
  const actual = await projection.getCounts(
    expected.map(({ counterName, key }) => ({ counterName: counterName as 'upgrades', key })),
  );
  const countMismatches = expected.filter(({ count }, index) => actual[index] !== count).length;
  const expectedRefs = stored.reduce(
    (sum, message) => sum + counters.filter((c) => c.listensTo(message)).length,
    0,
  );
  const countedRefs = (
    await scanAll(client, tables.countsTable, {
      expression: 'begins_with(pk, :r)',
      values: { ':r': { S: 'R#' } },
    })
  ).length;

  return {
    scenario,
    pushed: operations.reduce((sum, operation) => sum + operation.length, 0),
    acknowledged: acknowledged.length,
    stored: stored.length,
    countedRefs,
    expectedRefs,
    duplicatesInjected,
    kills,
    deadLettered,
    lostAcknowledged,
    partialGroups,
    countMismatches: countMismatches + Math.abs(countedRefs - expectedRefs),
    versionGaps: 0,
    reactionDifferences: 0,
    storedEvents: stored,
  };
};

/** Waits until the counts equal what is stored (the projection caught up), or the time is out. */
export const waitUntilCounted = async (
  check: () => Promise<Verdict>,
  timeoutMs: number,
): Promise<Verdict> => {
  const deadline = Date.now() + timeoutMs;
  let verdict = await check();
  // The reactions follow the counts: they may lag behind them a little longer.
  while (
    (verdict.countMismatches > 0 || verdict.reactionDifferences > 0) &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    verdict = await check();
  }
  return verdict;
};
