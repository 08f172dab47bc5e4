import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { metricsSettingsOf } from '../../infra/alarms.js';
import { DEFAULT_ENTRY_POINT, runnerCommand } from '../../infra/runnerCommand.js';
import { DEFAULT_FUNCTION_RUNTIME } from '../../infra/streamConsumer.js';
import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';
import { packedTarball } from './packedTarball.js';

// The image CounterProjectionService runs, built as docs/deploy.md ("The image") says: a
// project of the page's package.json, tsconfig.json, src/counters.ts and CDK app, built with
// its `npm run build`; the image's files laid out as the page's Dockerfile says (no Docker
// engine here: each step is played on a folder); and the task's command, as the construct
// makes it for the page's settings, run in that folder as ECS runs it, against DynamoDB Local.

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const page = readFileSync(join(root, 'docs', 'deploy.md'), 'utf8');

/** The page's files: each fenced block whose info string names one (```json package.json). */
const documentedFiles = (): Map<string, string> => {
  const files = new Map<string, string>();
  for (const [, file, text] of page.matchAll(/^```\w+ (\S+)\n([\s\S]*?)^```$/gm))
    if (file !== undefined && text !== undefined) files.set(file, text);
  return files;
};

/** The page's CDK app: the ```ts block that makes the service. */
const cdkApp = (): string => {
  const block = [...page.matchAll(/^```ts\n([\s\S]*?)^```$/gm)]
    .map(([, text]) => text ?? '')
    .find((text) => text.includes('new CounterProjectionService('));
  if (block === undefined) throw new Error('docs/deploy.md shows no CounterProjectionService');
  return block;
};

const installedVersion = (name: string) =>
  (
    JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/** npm as the page says, from npm's cache that `npm ci` filled (the registry only for what it lacks). */
const npm = (args: string[], cwd: string) =>
  exec('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd });

/** The page's package.json, its versions those this repository tests with, and this package's tarball. */
const pinned = (manifest: string, tarball: string): string => {
  const parsed = JSON.parse(manifest) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'devDependencies']) {
    const dependencies = parsed[field] ?? {};
    for (const name of Object.keys(dependencies))
      dependencies[name] =
        name === 'castore-dynamodb-counter' ? `file:${tarball}` : installedVersion(name);
  }
  return JSON.stringify(parsed, null, 2);
};

interface PlayedImage {
  from: string;
  workdir: string;
  user: string | undefined;
}

/**
 * The Dockerfile's steps on `image` (its working directory): COPY from the context (the
 * project, less what .dockerignore lists), RUN of npm; any other step is refused, so that
 * a step the page adds is played here or the test says it cannot.
 */
const playDockerfile = async (dockerfile: string, context: string, image: string) => {
  const ignored = new Set(readFileLines(join(context, '.dockerignore')));
  const played: PlayedImage = { from: '', workdir: '', user: undefined };
  for (const line of dockerfile.split('\n')) {
    const [instruction, ...args] = line.trim().split(/\s+/);
    if (instruction === undefined || instruction === '' || instruction.startsWith('#')) continue;
    if (instruction === 'FROM') played.from = args.join(' ');
    else if (instruction === 'WORKDIR') played.workdir = args.join(' ');
    else if (instruction === 'USER') played.user = args.join(' ');
    else if (instruction === 'COPY') copyStep(args, { context, image, ignored });
    else if (instruction === 'RUN' && args[0] === 'npm') await npm(args.slice(1), image);
    else throw new Error(`the test does not play this Dockerfile step: ${line}`);
  }
  return played;
};

const readFileLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

/** COPY src... dest, as Docker copies: a folder's contents into dest, files into a folder dest. */
const copyStep = (
  args: string[],
  { context, image, ignored }: { context: string; image: string; ignored: Set<string> },
) => {
  const sources = args.slice(0, -1);
  const dest = join(image, args.at(-1) ?? '.');
  const intoFolder = sources.length > 1 || (args.at(-1) ?? '').endsWith('/');
  for (const source of sources) {
    expect(ignored, `COPY ${source}, which .dockerignore leaves out of the context`).not.toContain(
      source,
    );
    const from = join(context, source);
    if (statSync(from).isDirectory()) cpSync(from, dest, { recursive: true });
    else {
      const to = intoFolder ? join(dest, basename(source)) : dest;
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
};

const { client, createTestEventTable, createTestCountsTable, createTestCheckpointTable } =
  useDynamoDB();
const running = new Set<ChildProcess>();
let scratch: string | undefined;
let image: string;
let played: PlayedImage;
const countersModule = /countersModule: '([^']+)'/.exec(cdkApp())?.[1] ?? '';
const serviceId = /new CounterProjectionService\(stack, '([^']+)'/.exec(cdkApp())?.[1] ?? '';

beforeAll(async () => {
  const tarball = await packedTarball();
  scratch = mkdtempSync(join(tmpdir(), 'image-'));
  const project = join(scratch, 'project');
  const files = documentedFiles();
  // The CDK app is in the project, as the page lays it out: the build must leave it out.
  files.set('infra/app.ts', cdkApp());
  for (const [file, text] of files) {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), file === 'package.json' ? pinned(text, tarball) : text);
  }
  await npm(['install', '--ignore-scripts'], project);
  await npm(['run', 'build'], project);
  image = join(scratch, 'image');
  mkdirSync(image);
  played = await playDockerfile(files.get('Dockerfile') ?? '', project, image);
}, 600_000);
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});
afterAll(() => {
  if (scratch !== undefined && process.env.KEEP_SCRATCH === undefined)
    rmSync(scratch, { recursive: true, force: true });
});

/** The container's command, as the construct makes it for the page's settings, started in the image. */
const startTask = (
  tables: { events: string; counts: string; checkpoints: string },
  module = countersModule,
) => {
  const table = (tableName: string) => ({ tableName }) as ITable;
  const command = runnerCommand(
    { countersModule: module, metrics: metricsSettingsOf(undefined, serviceId) },
    {
      eventTable: table(tables.events),
      countsTable: table(tables.counts),
      checkpointTable: table(tables.checkpoints),
    },
  );
  const [entryPoint = '', ...entryArgs] = DEFAULT_ENTRY_POINT;
  // From the working directory, as ECS runs an entry point; the one thing added is --endpoint.
  const child = spawn(entryPoint, [...entryArgs, ...command, '--endpoint', dynamoDBEndpoint()], {
    cwd: image,
    env: { ...process.env, AWS_REGION: 'eu-west-1', DEBUG: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    output: () => `${stdout}${stderr}`,
    /** Once it ended by itself; a task still running after a minute fails the test. */
    exited: async () => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      return { code, stdout, stderr };
    },
    stop: async () => {
      child.kill('SIGTERM');
      return { code: await exited, stdout, stderr };
    },
  };
};

const newTables = async () => ({
  events: await createTestEventTable(),
  counts: await createTestCountsTable(),
  checkpoints: await createTestCheckpointTable(),
});

describe("the service's image, built as docs/deploy.md says", () => {
  it('is the Lambda’s Node.js, runs as node, and holds the build’s module and the dependencies only', () => {
    // The page's image and the pipeline's Lambda run the same Node.js major.
    const lambdaMajor = /^nodejs(\d+)\.x$/.exec(DEFAULT_FUNCTION_RUNTIME.name)?.[1];
    expect(played.from).toBe(`node:${lambdaMajor}-slim`);
    const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(Number(lambdaMajor)).toBeGreaterThanOrEqual(Number(/\d+/.exec(engines.node)?.[0]));
    expect(played.user).toBe('node');
    expect(played.workdir).toBe('/app');
    expect(existsSync(join(image, countersModule))).toBe(true);
    expect(existsSync(join(image, 'node_modules', '.bin', 'castore-dynamodb-counter'))).toBe(true);
    // npm ci --omit=dev: the build's compiler stayed out.
    expect(existsSync(join(image, 'node_modules', 'typescript'))).toBe(false);
  });

  it('runs the task’s command: counts an event pushed before it started, writes its metrics, and stops on SIGTERM with 0', async () => {
    const tables = await newTables();
    await new DynamoDBSingleTableEventStorageAdapter({
      tableName: tables.events,
      dynamoDBClient: client,
    }).pushEvent(
      {
        aggregateId: 'order-1',
        version: 1,
        type: 'ORDER_PLACED',
        timestamp: new Date().toISOString(),
        payload: { country: 'FR' },
      },
      { eventStoreId: 'orders' },
    );
    const task = startTask(tables);
    const projection = new CounterProjection({
      dynamoDBClient: client,
      countsTableName: tables.counts,
      sourceEventStores: [makeOrdersStore()],
      counters: [
        counter({
          name: 'ordersByCountry',
          eventStore: makeOrdersStore(),
          eventTypes: ['ORDER_PLACED'],
          key: (event) => event.payload.country,
          idempotency: 'shardWatermark',
        }),
      ],
    });
    await waitFor(() => task.output().includes('committed 1'), task);
    const { code, stdout, stderr } = await task.stop();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Stopped after committing 1 record.');
    expect(await projection.getCount('ordersByCountry', 'FR')).toBe(1);
    // The metrics the alarms read, written without Powertools (not in the image).
    expect(stdout).toMatch(/^\{"_aws".*"CastoreCounters"/m);
    expect(existsSync(join(image, 'node_modules', '@aws-lambda-powertools'))).toBe(false);
  });

  it('with a countersModule the build does not write, run exits 1 at start, saying in one line where the module is', async () => {
    const task = startTask(await newTables(), 'dist/src/counters.js');
    const { code, stdout, stderr } = await task.exited();
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `No counters module at dist/src/counters.js (--counters is resolved against the working directory, ${image}), but there is ${countersModule}: give --counters (CounterProjectionService's countersModule) the path your build writes, or make the build write this one (tsconfig's rootDir and outDir).\n`,
    );
  });

  it('without a package it needs, or with an import Node cannot resolve, run says at start in one line what and how', async () => {
    const tables = await newTables();
    const lineOf = async (module = countersModule) => {
      const { code, stdout, stderr } = await startTask(tables, module).exited();
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      return stderr;
    };
    // A peer dependency the CLI loads with: said by the bin, not in Node's stack trace.
    await withoutPackage('@castore/core', async () => {
      expect(await lineOf()).toBe(
        'castore-dynamodb-counter needs the package @castore/core, which is not installed: install it with `npm install @castore/core`.\n',
      );
    });
    // The Streams client listed among devDependencies, which npm ci --omit=dev leaves out.
    const manifest = readFileSync(join(image, 'package.json'), 'utf8');
    const { dependencies, devDependencies } = JSON.parse(manifest) as Record<
      string,
      Record<string, string>
    >;
    const streams = '@aws-sdk/client-dynamodb-streams';
    const { [streams]: version = '', ...others } = dependencies ?? {};
    writeFileSync(
      join(image, 'package.json'),
      JSON.stringify({
        dependencies: others,
        devDependencies: { ...devDependencies, [streams]: version },
      }),
    );
    try {
      await withoutPackage(streams, async () => {
        expect(await lineOf()).toBe(
          `\`run\` needs the package ${streams} for reading the event table’s stream: it is among package.json's devDependencies, which \`npm ci --omit=dev\` (an image's install) leaves out; move it to dependencies with \`npm install --save-prod ${streams}\`.\n`,
        );
      });
    } finally {
      writeFileSync(join(image, 'package.json'), manifest);
    }
    // A build for a bundler (moduleResolution bundler) writes imports Node cannot resolve.
    writeFileSync(join(image, 'dist', 'bundled.js'), "export * from './counters';\n");
    expect(await lineOf('dist/bundled.js')).toBe(
      "The counters module dist/bundled.js imports dist/counters, which does not exist: Node needs the file's extension in an import (counters.js), as tsconfig's module NodeNext does.\n",
    );
  });
});

/** Runs `use` with a package of the image's node_modules moved away, then puts it back. */
const withoutPackage = async (name: string, use: () => Promise<void>) => {
  const installed = join(image, 'node_modules', name);
  const away = join(scratch ?? '', 'away');
  renameSync(installed, away);
  try {
    await use();
  } finally {
    renameSync(away, installed);
  }
};

/** Until `done`, or the task ends first (its output then says why). */
const waitFor = async (done: () => boolean, task: { output: () => string }, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (running.size === 0) throw new Error(`the task ended: ${task.output()}`);
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms: ${task.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
