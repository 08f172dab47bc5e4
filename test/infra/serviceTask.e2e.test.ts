import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { CounterProjectionService, type CounterProjectionServiceProps } from '../../infra/index.js';
import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { createCheckpointTable } from '../../src/streamRunner/index.js';
import { startCli } from '../support/cli.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeCountReachedStore, makeOrdersStore } from '../support/eventStores.js';
import { waitUntil } from '../support/waitFor.js';
import { useCdkApps } from './cdkApps.js';

// The task the construct deploys, run here as ECS would run it: the container's command,
// exactly as synthesized, against DynamoDB Local (the one thing added is --endpoint), with
// AWS_REGION set as ECS sets it, stopped with SIGTERM as ECS stops a task.

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));
const countersModule = `
import { counter } from '${src('counterProjection/index.ts')}';
import { makeOrdersStore } from '${src('example/eventStores.ts')}';
const store = makeOrdersStore();
export const sourceEventStores = [store];
export const counters = [
  counter({ name: 'byCountry', eventStore: store, eventTypes: ['ORDER_PLACED'],
    key: (event) => event.payload.country, idempotency: 'shardWatermark' }),
  counter({ name: 'byCustomer', eventStore: store, eventTypes: ['ORDER_PLACED'],
    key: (event) => event.payload.customerId }),
];
`;

const newApp = useCdkApps('cdk-service-task');
const { client, uniqueTableName, createTestEventTable, createTestCountsTable } = useDynamoDB();
let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'service-'));
  writeFileSync(join(folder, 'counters.mjs'), countersModule);
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** The container's command as the construct synthesizes it for tables of these names. */
const synthesizedCommand = (
  tables: { events: string; counts: string; checkpoints: string },
  props: Partial<CounterProjectionServiceProps> = {},
) => {
  const stack = new Stack(newApp(), 'Service');
  new CounterProjectionService(stack, 'Counts', {
    image: ContainerImage.fromRegistry('example/counters:1'),
    countersModule: join(folder, 'counters.mjs'),
    ...props,
    eventTable: Table.fromTableAttributes(stack, 'Events', {
      tableName: tables.events,
      tableStreamArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${tables.events}/stream/x`,
    }),
    countsTable: Table.fromTableAttributes(stack, 'CountsIn', {
      tableName: tables.counts,
      tableStreamArn: `arn:aws:dynamodb:eu-west-1:123456789012:table/${tables.counts}/stream/x`,
    }),
    checkpointTable: Table.fromTableName(stack, 'Checkpoints', tables.checkpoints),
    batchSize: 7,
  });
  const template = Template.fromStack(stack);
  const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  const command: unknown = taskDefinition?.Properties.ContainerDefinitions[0].Command;
  expect(Array.isArray(command) && command.every((part) => typeof part === 'string')).toBe(true);
  return command as string[];
};

/** The metrics the service's alarms read from the task's log (the ECS one aside). */
const alarmedMetrics = () => {
  const stack = new Stack(newApp(), 'Alarms');
  new CounterProjectionService(stack, 'Counts', {
    image: ContainerImage.fromRegistry('example/counters:1'),
    countersModule: 'c.js',
  });
  return Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
    .map(({ Properties }) => Properties as { Namespace: string; MetricName: string })
    .filter(({ Namespace }) => Namespace !== 'AWS/ECS');
};

/** The Embedded Metric Format lines of a task's stdout, as CloudWatch Logs reads them. */
const emfLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .map(
      (line) =>
        JSON.parse(line) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
        },
    );

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** A task: the command as a child process; resolves its exit code and stderr once stopped. */
const startTask = (command: string[]) => {
  const child: ChildProcess = startCli([...command, '--endpoint', dynamoDBEndpoint()], {
    ...process.env,
    AWS_REGION: 'eu-west-1',
  });
  let [stdout, stderr] = ['', ''];
  // `run` says so once its SIGTERM handler is on: a signal before would kill it mid-start
  // (safe, but not the graceful stop tested here).
  let onStarted = () => {};
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('Projecting the stream of')) onStarted();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  running.add(child);
  let stopping = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    /** Throws when the task ended before it was stopped (a command the CLI refuses), with its stderr. */
    assertRunning: () => {
      if (!stopping && !running.has(child)) throw new Error(`the task ended: ${stderr}`);
    },
    stop: async () => {
      await Promise.race([started, exited]);
      stopping = true;
      child.kill('SIGTERM');
      return { code: await exited, stdout, stderr };
    },
  };
};

describe('the task CounterProjectionService deploys', () => {
  it('counts exactly with two tasks at once (a deployment) and after a restart, sets a failing record aside where the alarm looks, and stops on SIGTERM with 0', async () => {
    const tables = {
      events: await createTestEventTable(),
      counts: await createTestCountsTable(),
      checkpoints: uniqueTableName('checkpoints'),
    };
    await createCheckpointTable({ dynamoDBClient: client, tableName: tables.checkpoints });
    const command = synthesizedCommand(tables);
    const store = makeOrdersStore(
      new DynamoDBSingleTableEventStorageAdapter({
        tableName: tables.events,
        dynamoDBClient: client,
      }),
    );
    let pushed = 0;
    const order = (payload: Record<string, unknown>) =>
      store.pushEvent({
        aggregateId: `o${++pushed}`,
        version: 1,
        type: 'ORDER_PLACED',
        payload: { customerId: 'c1', quantity: 1, ...payload } as never,
      });
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName: tables.counts,
      sourceEventStores: [store],
      counters: [
        counter({
          name: 'byCountry',
          eventStore: store,
          eventTypes: ['ORDER_PLACED'],
          key: (event) => event.payload.country,
          idempotency: 'shardWatermark',
        }),
        counter({
          name: 'byCustomer',
          eventStore: store,
          eventTypes: ['ORDER_PLACED'],
          key: (event) => event.payload.customerId,
        }),
      ],
    });
    const tasks: ReturnType<typeof startTask>[] = [];
    const countsAre = async (fr: number, customer: number) => {
      for (const task of tasks) task.assertRunning();
      return (
        (await projection.getCount('byCountry', 'FR')) === fr &&
        (await projection.getCount('byCustomer', 'c1')) === customer
      );
    };

    for (let index = 0; index < 20; index++) await order({ country: 'FR' });
    // No country: byCountry's key is undefined, and the record is set aside, for every
    // counter, until count-set-aside (test/cli/shardWatermark.e2e.test.ts).
    await order({});
    const [first, second] = [startTask(command), startTask(command)];
    tasks.push(first, second);
    for (let index = 0; index < 10; index++) await order({ country: 'FR' });
    // byCustomer (refs) counts the record byCountry sets aside: it fails only byCountry.
    await waitUntil(() => countsAre(30, 30), {
      what: 'both tasks to count 30 orders',
      timeoutMs: 120_000,
    });
    const stopped = await Promise.all([first.stop(), second.stop()]);
    expect(stopped.map(({ code }) => code)).toEqual([0, 0]);
    // Set aside once, by the one task whose claim decided it, whichever handed it over.
    const setAsideLines = stopped
      .map(({ stderr }) => stderr)
      .join('')
      .match(
        /record \d+ set aside, its shard going on; once its cause is fixed, count it with count-set-aside .*: InvalidIncrement/g,
      );
    expect(setAsideLines).toHaveLength(1);
    // What the alarms read: the metrics the tasks published, in the namespace and service
    // the construct gave them, the record set aside among them.
    const published = stopped.flatMap(({ stdout }) => emfLines(stdout));
    expect(published.length).toBeGreaterThan(0);
    for (const { Namespace, MetricName } of alarmedMetrics())
      expect(
        published.some(
          (line) =>
            line.service === 'Counts' &&
            line._aws.CloudWatchMetrics.some(
              (set) =>
                set.Namespace === Namespace && set.Metrics.some(({ Name }) => Name === MetricName),
            ),
        ),
        `${Namespace} ${MetricName} published`,
      ).toBe(true);
    // (Each task that meets the record skips it as set aside: once or twice, by timing.)
    const setAside = published.map((line) => Number(line.RecordsSkippedSetAside ?? 0));
    expect(setAside.reduce((sum, value) => sum + value, 0)).toBeGreaterThanOrEqual(1);

    for (let index = 0; index < 5; index++) await order({ country: 'FR' });
    const restarted = startTask(command);
    tasks.push(restarted);
    await waitUntil(() => countsAre(35, 35), {
      what: 'the restarted task to count 5 more',
      timeoutMs: 120_000,
    });
    expect((await restarted.stop()).code).toBe(0);
    // Nothing counted twice by the two tasks or the restart, nothing lost.
    expect(await countsAre(35, 35)).toBe(true);
  }, 300_000);

  it('reacts with the reactions given: the counts stream read, COUNT_REACHED pushed into the event table once', async () => {
    const tables = {
      events: await createTestEventTable(),
      counts: await createTestCountsTable({ stream: true }),
      checkpoints: uniqueTableName('checkpoints'),
    };
    await createCheckpointTable({ dynamoDBClient: client, tableName: tables.checkpoints });
    // The example's module: ordersByCountry, with a threshold of 10 and `reactions`.
    const command = synthesizedCommand(tables, {
      countersModule: src('example/counters.ts'),
      reactions: {},
    });
    const adapter = new DynamoDBSingleTableEventStorageAdapter({
      tableName: tables.events,
      dynamoDBClient: client,
    });
    const orders = makeOrdersStore(adapter);
    for (let index = 0; index < 11; index++)
      await orders.pushEvent({
        aggregateId: `o${index}`,
        version: 1,
        type: 'ORDER_PLACED',
        payload: { customerId: 'c', country: 'FR', quantity: 1 },
      });
    const task = startTask(command);
    const reached = makeCountReachedStore(adapter);
    const reachedIds = async () => {
      task.assertRunning();
      return (await reached.listAggregateIds()).aggregateIds.map(({ aggregateId }) => aggregateId);
    };
    await waitUntil(async () => (await reachedIds()).length > 0, {
      what: 'the COUNT_REACHED of ordersByCountry FR',
      timeoutMs: 120_000,
    });
    const { code, stderr } = await task.stop();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(await reachedIds()).toEqual(['ordersByCountry#FR#threshold#10']);
  }, 300_000);
});
