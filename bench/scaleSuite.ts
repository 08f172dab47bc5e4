import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { DynamoDBSingleTableEventStorageAdapter } from '../src/adapter/index.js';
import { createTables } from '../src/cli/tables/createTables.js';
import { CounterProjection } from '../src/counterProjection/index.js';
import { dropTables } from '../src/dynamoDBLocal/dropTables.js';
import { counters } from '../src/example/counters.js';
import { makeOrdersStore, makeUsersStore } from '../src/example/eventStores.js';
import { expectedCounts } from '../src/example/expectedCounts.js';
import { pushWorkload } from '../src/example/pushWorkload.js';
import { planWorkload } from '../src/example/workloadPlan.js';

export interface ScalePoint {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** The runner process's peak resident memory (VmHWM), MB. */
  runnerPeakMb: number;
  exact: boolean;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * push -> stream -> runner (a separate process: the CLI's `run`, batches of up to 1,000
 * gathered for up to 1 s) -> counts, timed until every count is right.
 */
export const runScaleSuite = async ({
  client,
  endpoint,
  sizes,
}: {
  client: DynamoDBClient;
  endpoint: string;
  sizes: number[];
}): Promise<ScalePoint[]> => {
  const points: ScalePoint[] = [];
  for (const events of sizes) {
    const suffix = `${Date.now()}`;
    const names = {
      eventTable: `scale-events-${suffix}`,
      countsTable: `scale-counts-${suffix}`,
      checkpointTable: `scale-checkpoints-${suffix}`,
    };
    await createTables(client, names);
    const runner = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/index.ts',
        'run',
        '--counters',
        'src/example/counters.ts',
        '--event-table',
        names.eventTable,
        '--counts-table',
        names.countsTable,
        '--checkpoint-table',
        names.checkpointTable,
        '--batch-size',
        '1000',
        '--batching-window',
        '1000',
        '--endpoint',
        endpoint,
      ],
      { cwd: root, stdio: 'ignore' },
    );
    const adapter = new DynamoDBSingleTableEventStorageAdapter({
      tableName: names.eventTable,
      dynamoDBClient: client,
    });
    const started = Date.now();
    const pushed = await pushWorkload({
      operations: planWorkload({ events, seed: 3 }),
      stores: { orders: makeOrdersStore(adapter), users: makeUsersStore(adapter) },
      concurrency: 32,
      signal: new AbortController().signal,
      onPushed: () => undefined,
    });
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName: names.countsTable,
      sourceEventStores: [makeOrdersStore(), makeUsersStore()],
      counters,
    });
    const expected = [...expectedCounts(counters, pushed).values()];
    const targets = expected.map(({ counterName, key }) => ({
      counterName: counterName as 'upgrades',
      key,
    }));
    let exact = false;
    while (!exact && Date.now() - started < 60 * 60_000) {
      const actual = await projection.getCounts(targets);
      exact = expected.every(({ count }, index) => actual[index] === count);
      if (!exact) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seconds = (Date.now() - started) / 1000;
    const runnerPeakMb = peakMemoryMb(runner.pid as number);
    runner.kill('SIGTERM');
    await new Promise((resolve) => runner.once('close', resolve));
    await dropTables(client, Object.values(names));
    const point = { events, seconds, eventsPerSecond: events / seconds, runnerPeakMb, exact };
    console.log(
      `\nscale / ${events} events end to end: ${point.eventsPerSecond.toFixed(0)} events/s, runner peak ${runnerPeakMb.toFixed(0)} MB, exact: ${exact}`,
    );
    points.push(point);
  }
  return points;
};

/** VmHWM of a process and its children's largest (the runner is node under tsx's loader). */
const peakMemoryMb = (pid: number): number => {
  const status = (id: number) => {
    try {
      return readFileSync(`/proc/${id}/status`, 'utf8');
    } catch {
      return '';
    }
  };
  const hwm = (text: string) => Number(/VmHWM:\s+(\d+) kB/.exec(text)?.[1] ?? 0) / 1024;
  const children = (() => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  })();
  return Math.max(hwm(status(pid)), ...children.map((child) => hwm(status(child))));
};
