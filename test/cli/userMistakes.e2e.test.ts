import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCheckpointTable } from '../../src/streamRunner/index.js';
import { expectOneLine, runCli } from '../support/cli.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';

const endpoint = () => dynamoDBEndpoint();
const countersModule = 'src/example/counters.ts';
const { client, uniqueTableName, createTestCountsTable, createTestEventTable } = useDynamoDB();

describe('the CLI, as a new user meets it', () => {
  it('shows its help, not a 40-second demo, when given no command', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(`${stdout}${stderr}`).toMatch(/Usage: castore-dynamodb-counter[\s\S]*Commands:/);
    expect(`${stdout}${stderr}`).not.toMatch(/Starting DynamoDB Local/i);
    expect(code).not.toBe(0);
  });

  it('says its version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('names an unknown command and suggests the near one', async () => {
    const { code, stderr } = await runCli(['dmeo']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/unknown command 'dmeo'[\s\S]*Did you mean demo\?/);
  });

  it('rebuild on an unknown counts table says so in one line', () =>
    expectOneLine(
      [
        'rebuild',
        '--counters',
        countersModule,
        '--event-table',
        'no-such-events',
        '--counts-table',
        'no-such-counts',
        '--endpoint',
        endpoint(),
      ],
      /^Tables no-such-events \(--event-table\), no-such-counts \(--counts-table\) not found: .*tables create/,
    ));

  it('run stops at once on a counts table that does not exist, naming it, instead of retrying every batch', async () => {
    const suffix = Date.now().toString(36);
    const created = await runCli([
      'tables',
      'create',
      '--event-table',
      `e-${suffix}`,
      '--counts-table',
      `c-${suffix}`,
      '--checkpoint-table',
      `k-${suffix}`,
      '--endpoint',
      endpoint(),
    ]);
    expect(created.code).toBe(0);
    await expectOneLine(
      [
        'run',
        '--counters',
        countersModule,
        '--event-table',
        `e-${suffix}`,
        '--counts-table',
        `typo-${suffix}`,
        '--checkpoint-table',
        `k-${suffix}`,
        '--endpoint',
        endpoint(),
      ],
      new RegExp(`^Table typo-${suffix} \\(--counts-table\\) not found: check the name`),
    );
  });

  it('refuses a table name DynamoDB would refuse before sending anything, in one line naming it', () =>
    expectOneLine(
      [
        'tables',
        'create',
        '--event-table',
        'ev',
        '--counts-table',
        'counts',
        '--checkpoint-table',
        'checkpoints',
        '--endpoint',
        endpoint(),
      ],
      /Invalid option tableName: "ev", expected a DynamoDB table name \(3 to 255 characters .* or a table.s ARN/,
    ));

  it('does not offer an embedded DynamoDB Local where the command starts none', async () => {
    const stderr = await expectOneLine(
      [
        'tables',
        'create',
        '--event-table',
        'events',
        '--counts-table',
        'counts',
        '--checkpoint-table',
        'checkpoints',
        '--endpoint',
        'http://127.0.0.1:9',
      ],
      /Cannot reach DynamoDB at http:\/\/127\.0\.0\.1:9/,
    );
    expect(stderr).not.toMatch(/embedded/);
  });

  describe('with the endpoint set for DynamoDB alone (AWS_ENDPOINT_URL_DYNAMODB)', () => {
    /** status's arguments on a fresh event table and checkpoint table, and its environment with `variables`. */
    const status = async (variables: Record<string, string> = {}) => {
      const eventTable = await createTestEventTable();
      const checkpointTable = uniqueTableName('checkpoints');
      await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTable });
      const args = ['status', '--event-table', eventTable, '--checkpoint-table', checkpointTable];
      const env = {
        PATH: process.env.PATH,
        HOME: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
        // A region no AWS endpoint serves: the Streams client's default cannot resolve.
        AWS_REGION: 'nowhere-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: endpoint(),
        ...variables,
      };
      return { args, env };
    };

    it('names the Streams endpoint the SDK used, and its variable, when the stream cannot be reached', async () => {
      const { args, env } = await status();
      await expectOneLine(
        args,
        /^Cannot reach DynamoDB Streams at the default AWS endpoint \((ENOTFOUND|EAI_AGAIN)\): AWS_ENDPOINT_URL_DYNAMODB is set, but the Streams client reads AWS_ENDPOINT_URL_DYNAMODB_STREAMS: set it too .*--endpoint/,
        env,
      );
    });

    it('names AWS_ENDPOINT_URL_DYNAMODB_STREAMS when the endpoint it gives cannot be reached', async () => {
      const { args, env } = await status({
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: 'http://127.0.0.1:9',
      });
      await expectOneLine(
        args,
        /^Cannot reach DynamoDB Streams at http:\/\/127\.0\.0\.1:9 \(AWS_ENDPOINT_URL_DYNAMODB_STREAMS\) \(ECONNREFUSED\): check AWS_ENDPOINT_URL_DYNAMODB_STREAMS, or pass --endpoint\./,
        env,
      );
    });

    it('names AWS_ENDPOINT_URL_DYNAMODB, not the default AWS endpoint, when DynamoDB at it cannot be reached', async () => {
      const { args, env } = await status({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
      await expectOneLine(
        args,
        /^Cannot reach DynamoDB at http:\/\/127\.0\.0\.1:9 \(AWS_ENDPOINT_URL_DYNAMODB\) \(ECONNREFUSED\): check AWS_ENDPOINT_URL_DYNAMODB, or pass --endpoint\./,
        env,
      );
    });

    it('reads the stream at AWS_ENDPOINT_URL_DYNAMODB_STREAMS', async () => {
      const { args, env } = await status({ AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoint() });
      const { code, stdout, stderr } = await runCli(args, env);
      // The stream read: no consumer has checkpointed yet (exit 2, as a health check says).
      expect({ code, stderr }).toEqual({ code: 2, stderr: '' });
      expect(stdout).toMatch(/^No consumer has a checkpoint on this stream yet/);
    });
  });

  it('says credentials are missing when there are none, not that DynamoDB refused them', async () => {
    const noCredentials = {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const stderr = await expectOneLine(
      [
        'tables',
        'create',
        '--event-table',
        'events',
        '--counts-table',
        'counts',
        '--checkpoint-table',
        'checkpoints',
      ],
      /no AWS credentials/i,
      noCredentials,
    );
    expect(stderr).not.toMatch(/refused/);
  });

  it('says no region was found when neither the environment nor a profile gives one', () =>
    expectOneLine(
      [
        'tables',
        'create',
        '--event-table',
        'events',
        '--counts-table',
        'counts',
        '--checkpoint-table',
        'checkpoints',
      ],
      /No AWS region was found: set AWS_REGION/,
      { PATH: process.env.PATH, HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
    ));

  it.each([
    [
      'bad.mjs',
      'export const ok = 1;\nexport const = 2;\n',
      /bad\.mjs:2: SyntaxError: Unexpected token '='/,
    ],
    [
      'bad.ts',
      'export const ok: number = 1;\nexport const n: number = ;\n',
      /bad\.ts:2:25: ERROR: Unexpected ";"/,
    ],
  ])(
    'names the file and line of a syntax error in the counters module (%s)',
    async (file, text, pattern) => {
      const folder = mkdtempSync(join(tmpdir(), 'counters-'));
      writeFileSync(join(folder, file), text);
      try {
        await expectOneLine(
          [
            'counts',
            'get',
            '--counters',
            join(folder, file),
            '--counts-table',
            'x',
            '--counter',
            'c',
            '--key',
            'k',
            '--endpoint',
            endpoint(),
          ],
          pattern,
        );
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  );

  describe('run, when what its counters module needs is not where it runs (a container image)', () => {
    // The working directory as an image lays it out: a package.json, the build's output.
    let folder: string;
    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'counters-'));
      const files = {
        'package.json': JSON.stringify({ type: 'module', devDependencies: { 'left-pad': '1' } }),
        'dist/src/counters.js': 'export const counters = [];\n',
        'dist/dev.js': "import 'left-pad';\nexport const counters = [];\n",
        'dist/unlisted.js': "import './stores.js';\n",
        'dist/stores.js': "import 'zod-never-installed';\n",
        'dist/partial.js': "import './missing.js';\nexport const counters = [];\n",
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(folder, file)), { recursive: true });
        writeFileSync(join(folder, file), text);
      }
    });
    afterAll(() => rmSync(folder, { recursive: true, force: true }));
    const run = (module: string) => [
      'run',
      '--counters',
      module,
      '--event-table',
      'e',
      '--counts-table',
      'c',
      '--checkpoint-table',
      'k',
      '--endpoint',
      endpoint(),
    ];
    const oneLine = async (module: string) =>
      (await expectOneLine(run(module), /./, undefined, folder)).trim();

    it('no file at --counters: where it was looked for, and the file of that name the build wrote', async () => {
      expect(await oneLine('dist/counters.js')).toBe(
        `No counters module at dist/counters.js (--counters is resolved against the working directory, ${folder}), but there is dist/src/counters.js: give --counters (CounterProjectionService's countersModule) the path your build writes, or make the build write this one (tsconfig's rootDir and outDir).`,
      );
      expect(await oneLine('build/nothing.js')).toMatch(
        /^No counters module at build\/nothing\.js \(.*\): build it first \(e\.g\. `npm run build`\); in a container image, copy the build's output there/,
      );
    });

    it('a package it imports, not installed: the one to move from devDependencies, or to install', async () => {
      expect(await oneLine('dist/dev.js')).toBe(
        "The counters module dist/dev.js imports the package left-pad, which is not installed: it is among package.json's devDependencies, which `npm ci --omit=dev` (an image's install) leaves out; move it to dependencies with `npm install --save-prod left-pad`.",
      );
      expect(await oneLine('dist/unlisted.js')).toBe(
        'The counters module dist/unlisted.js imports the package zod-never-installed (from dist/stores.js), which is not installed: install it with `npm install zod-never-installed`.',
      );
    });

    it('a file it imports, not there', async () => {
      expect(await oneLine('dist/partial.js')).toBe(
        "The counters module dist/partial.js imports dist/missing.js, which does not exist: the image must hold the whole build's output, not only dist/partial.js.",
      );
    });
  });

  it('tables create makes just the tables it is given (a fresh counts table alone), and refuses to be given none', async () => {
    const counts = uniqueTableName('counts-alone');
    const { code, stdout, stderr } = await runCli([
      'tables',
      'create',
      '--counts-table',
      counts,
      '--endpoint',
      endpoint(),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([`Created ${counts} (counts).`]);
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    expect(TableNames.filter((name) => name.includes(counts.slice(-8)))).toEqual([counts]);

    await expectOneLine(
      ['tables', 'create', '--endpoint', endpoint()],
      /^tables create needs at least one of --event-table, --counts-table and --checkpoint-table/,
    );
    await expectOneLine(
      ['tables', 'create', '--reactions', '--event-table', 'e', '--endpoint', endpoint()],
      /--reactions gives the counts table its stream: pass --counts-table with it/,
    );
  });

  it('tables create can run again: it finds correct tables and refuses a wrong one in one line', async () => {
    const suffix = Date.now().toString(36);
    const names = ['--event-table', `e-${suffix}`, '--counts-table', `c-${suffix}`];
    const args = [
      'tables',
      'create',
      ...names,
      '--checkpoint-table',
      `k-${suffix}`,
      '--endpoint',
      endpoint(),
    ];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Created e-${suffix} (events, with its stream).`);
    const second = await runCli(args);
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual([
      `Found e-${suffix} (events, with its stream), with the keys, index and stream it needs.`,
      // Only what was checked: the counts and checkpoint tables have no index, nor a stream.
      `Found c-${suffix} (counts), with the keys it needs.`,
      `Found k-${suffix} (checkpoints), with the keys it needs.`,
    ]);
    await expectOneLine(
      [
        'tables',
        'create',
        '--event-table',
        `c-${suffix}`,
        '--counts-table',
        `c-${suffix}`,
        '--checkpoint-table',
        `k-${suffix}`,
        '--endpoint',
        endpoint(),
      ],
      new RegExp(
        `TableMismatch: Table c-${suffix} exists but its keys are pk \\(S, HASH\\), sk \\(S, RANGE\\), not aggregateId`,
      ),
    );
  });

  it('counts get shows the bucket it read; counts list refuses --from after --to in one line', async () => {
    const countsTable = await createTestCountsTable();
    const common = [
      '--counters',
      countersModule,
      '--counts-table',
      countsTable,
      '--counter',
      'ordersByCountry',
      '--endpoint',
      endpoint(),
    ];
    const got = await runCli([
      'counts',
      'get',
      ...common,
      '--key',
      'FR',
      '--window',
      'hour',
      '--bucket',
      '2024-06-01T10:15:00.000Z',
    ]);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/ordersByCountry\s*│\s*FR\s*│\s*2024-06-01T10\s*│\s*0/);
    await expectOneLine(
      [
        'counts',
        'list',
        ...common,
        '--key',
        'FR',
        '--window',
        'hour',
        '--from',
        '2024-06-02T00:00:00.000Z',
        '--to',
        '2024-06-01T00:00:00.000Z',
      ],
      /InvalidCountQuery: Invalid from "2024-06-02T00:00:00.000Z": expected a time in or before the hour bucket of to/,
    );
  });
});
