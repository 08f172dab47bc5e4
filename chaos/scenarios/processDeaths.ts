import { dropTables } from '../../src/dynamoDBLocal/dropTables.js';
import { killProcess, startRunnerProcess } from '../runnerProcess.js';
import { KillableServer } from '../server.js';
import {
  createPipelineTables,
  makeClients,
  pushDemoWorkload,
  seededRandom,
  sleep,
} from '../setUp.js';
import { type Verdict, verify, waitUntilCounted } from '../verify.js';

/**
 * While events are pushed and projected, DynamoDB Local (file-backed) is killed with
 * SIGKILL `kills` times and restarted on the same data.
 */
export const serverDeath = async ({
  events,
  kills,
  seed = 1,
}: {
  events: number;
  kills: number;
  seed?: number;
}): Promise<Verdict> => {
  const server = await KillableServer.start();
  const { client, streamsClient } = makeClients(server.endpoint);
  const random = seededRandom(seed);
  try {
    const tables = await createPipelineTables(client, { reactions: true });
    const runner = startRunnerProcess(server.endpoint, tables);
    const pushing = pushDemoWorkload({ client, eventTable: tables.eventTable, events });
    for (let kill = 0; kill < kills; kill++) {
      await sleep(500 + random() * 1_500);
      await server.kill();
      await sleep(100 + random() * 700);
      await server.restart();
    }
    const { operations, acknowledged } = await pushing;
    const verdict = await waitUntilCounted(
      () =>
        verify({
          client,
          tables,
          scenario: 'server killed (SIGKILL) and restarted',
          operations,
          acknowledged,
          kills: server.kills,
        }),
      180_000,
    );
    await killProcess(runner, 'SIGTERM');
    return verdict;
  } finally {
    client.destroy();
    streamsClient.destroy();
    await server.stop();
  }
};

/** The stream runner (its own process) is killed with SIGKILL `kills` times mid-run and restarted. */
export const consumerDeath = async ({
  endpoint,
  events,
  kills,
  seed = 2,
}: {
  endpoint: string;
  events: number;
  kills: number;
  seed?: number;
}): Promise<Verdict> => {
  const { client, streamsClient } = makeClients(endpoint);
  const random = seededRandom(seed);
  try {
    const tables = await createPipelineTables(client, { reactions: true });
    const pushing = pushDemoWorkload({ client, eventTable: tables.eventTable, events });
    let runner = startRunnerProcess(endpoint, tables);
    for (let kill = 0; kill < kills; kill++) {
      await sleep(1_500 + random() * 1_500); // it takes about a second to start
      await killProcess(runner);
      runner = startRunnerProcess(endpoint, tables);
    }
    const { operations, acknowledged } = await pushing;
    const verdict = await waitUntilCounted(
      () =>
        verify({
          client,
          tables,
          scenario: 'runner killed (SIGKILL) and restarted',
          operations,
          acknowledged,
          kills,
        }),
      180_000,
    );
    await killProcess(runner, 'SIGTERM');
    await dropTables(client, Object.values(tables));
    return verdict;
  } finally {
    client.destroy();
    streamsClient.destroy();
  }
};

/** Two runners on the same stream and checkpoints at once, a misconfiguration users make. */
export const twoRunners = async ({
  endpoint,
  events,
}: {
  endpoint: string;
  events: number;
}): Promise<Verdict> => {
  const { client, streamsClient } = makeClients(endpoint);
  try {
    const tables = await createPipelineTables(client, { reactions: false });
    const runners = [startRunnerProcess(endpoint, tables), startRunnerProcess(endpoint, tables)];
    const { operations, acknowledged } = await pushDemoWorkload({
      client,
      eventTable: tables.eventTable,
      events,
    });
    const verdict = await waitUntilCounted(
      () =>
        verify({ client, tables, scenario: 'two runners on one stream', operations, acknowledged }),
      180_000,
    );
    await Promise.all(runners.map((runner) => killProcess(runner, 'SIGTERM')));
    await dropTables(client, Object.values(tables));
    return verdict;
  } finally {
    client.destroy();
    streamsClient.destroy();
  }
};
