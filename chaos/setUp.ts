import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { createEventTable, DynamoDBSingleTableEventStorageAdapter } from '../src/adapter/index.js';
import { createTables } from '../src/cli/tables/createTables.js';
import { makeOrdersStore, makeUsersStore } from '../src/example/eventStores.js';
import { type PushedEvent, pushWorkload } from '../src/example/pushWorkload.js';
import { type Operation, planWorkload } from '../src/example/workloadPlan.js';

export { seededRandom } from '../src/example/workloadPlan.js';
import type { PipelineTables } from './runnerProcess.js';

export const makeClients = (endpoint: string) => {
  const config = {
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A request in flight when the server is killed must fail, not wait forever.
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: 128 }),
      connectionTimeout: 2_000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    }),
  };
  return { client: new DynamoDBClient(config), streamsClient: new DynamoDBStreamsClient(config) };
};

/**
 * Re-sends a call refused because the server is down (ECONNREFUSED while it restarts,
 * a reset or a timeout when it dies mid-call), for up to a minute: the SDK's own retry
 * quota is spent within milliseconds by many calls failing at once. A conditional write
 * re-sent after an unknown outcome may then fail as already existing: acknowledged or
 * not, the verification reads the table.
 */
export const rideOutOutages = (client: DynamoDBClient): DynamoDBClient =>
  new Proxy(client, {
    get: (target, property, receiver) =>
      property !== 'send'
        ? Reflect.get(target, property, receiver)
        : async (command: unknown) => {
            for (let attempt = 0; ; attempt++) {
              try {
                return await target.send(command as never);
              } catch (error) {
                const code = (error as { code?: string }).code;
                const down =
                  code === 'ECONNREFUSED' ||
                  code === 'ECONNRESET' ||
                  (error as Error).name === 'TimeoutError';
                if (!down || attempt >= 300) throw error;
                await sleep(200);
              }
            }
          },
  });

/**
 * The tables of a scenario; with `reactions`, the counts table has its stream and a
 * reactions table takes the COUNT_REACHED events. (On DynamoDB Local a stream on the counts
 * table slows its writes, more so as it grows: the two-runner scenario, which doubles the
 * writes, runs without.)
 */
export const createPipelineTables = async (
  client: DynamoDBClient,
  { reactions }: { reactions: boolean },
): Promise<PipelineTables> => {
  const suffix = randomUUID().slice(0, 8);
  const tables = {
    eventTable: `chaos-events-${suffix}`,
    countsTable: `chaos-counts-${suffix}`,
    checkpointTable: `chaos-checkpoints-${suffix}`,
  };
  await createTables(client, { ...tables, reactions });
  if (!reactions) return tables;
  const reactionsTable = `chaos-reactions-${suffix}`;
  await createEventTable({ dynamoDBClient: client, tableName: reactionsTable });
  return { ...tables, reactionsTable };
};

/** Pushes the demo workload; failed pushes (a server down) are left out of the acknowledged ones. */
export const pushDemoWorkload = async ({
  client,
  eventTable,
  events,
  seed = 11,
  onPushed = () => undefined,
}: {
  client: DynamoDBClient;
  eventTable: string;
  events: number;
  seed?: number;
  /** Told of each operation's events as they are acknowledged. */
  onPushed?: (events: PushedEvent[]) => void;
}) => {
  const adapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: eventTable,
    dynamoDBClient: rideOutOutages(client),
  });
  const operations: Operation[] = planWorkload({ events, seed });
  let failedPushes = 0;
  const acknowledged: PushedEvent[] = await pushWorkload({
    operations,
    stores: { orders: makeOrdersStore(adapter), users: makeUsersStore(adapter) },
    concurrency: 16,
    signal: new AbortController().signal,
    onPushed: (_, pushed) => onPushed(pushed),
    onError: () => (failedPushes += 1),
  });
  return { operations, acknowledged, failedPushes };
};

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
