import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { counter, CounterProjection } from '../../src/counterProjection/index.js';
import { expectOneLine, runCli } from '../support/cli.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

const countersModule = `
import { counter } from '${src('counterProjection/index.ts')}';
import { makeOrdersStore } from '${src('example/eventStores.ts')}';
const store = makeOrdersStore();
export const sourceEventStores = [store];
export const counters = [
  counter({ name: 'placed', eventStore: store, key: () => 'FR', windows: ['week', 'month'] }),
];
`;

const { client, createTestCountsTable } = useDynamoDB();
const endpoint = () => dynamoDBEndpoint();
let folder: string;
let countsTable: string;

// Across the end of 2020, whose ISO week 53 runs to Sunday 2021-01-03.
const TIMESTAMPS = [
  '2020-12-28T10:00:00.000Z',
  '2020-12-31T23:59:59.999Z',
  '2021-01-03T12:00:00.000Z',
  '2021-01-04T00:00:00.000Z',
  '2021-02-01T00:00:00.000Z',
];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'counters-'));
  writeFileSync(join(folder, 'windows.mjs'), countersModule);
  countsTable = await createTestCountsTable();
  const store = makeOrdersStore();
  const projection = new CounterProjection({
    dynamoDBClient: client,
    countsTableName: countsTable,
    sourceEventStores: [store],
    counters: [
      counter({ name: 'placed', eventStore: store, key: () => 'FR', windows: ['week', 'month'] }),
    ],
  });
  for (const [index, timestamp] of TIMESTAMPS.entries())
    await projection.increment({
      counterName: 'placed',
      key: 'FR',
      targetRef: `o${index}`,
      timestamp,
    });
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

const counts = (command: 'get' | 'list', ...args: string[]) =>
  runCli([
    'counts',
    command,
    '--counters',
    join(folder, 'windows.mjs'),
    '--counts-table',
    countsTable,
    '--counter',
    'placed',
    '--key',
    'FR',
    '--endpoint',
    endpoint(),
    ...args,
  ]);

/** The table's rows, as their cells. */
const rows = (stdout: string): string[][] =>
  stdout
    .split('\n')
    .filter((line) => line.includes('│'))
    .map((line) =>
      line
        .split('│')
        .map((cell) => cell.trim())
        .filter((cell) => cell !== ''),
    );

describe('counts get and counts list with --window week|month', () => {
  it('counts get reads a week or month bucket, given as the bucket or any time inside it', async () => {
    const week = await counts('get', '--window', 'week', '--bucket', '2020-W53');
    expect(week.stderr).toBe('');
    expect(rows(week.stdout)).toContainEqual(['placed', 'FR', '2020-W53', '3']);
    const month = await counts('get', '--window', 'month', '--bucket', '2021-01-15T08:00:00Z');
    expect(rows(month.stdout)).toContainEqual(['placed', 'FR', '2021-01', '2']);
  });

  it('counts list steps through weeks and months across the year, by default 12 months before --to', async () => {
    const weeks = await counts(
      'list',
      '--window',
      'week',
      '--from',
      '2020-12-01',
      '--to',
      '2021-W05',
    );
    expect(weeks.stderr).toBe('');
    expect(rows(weeks.stdout).slice(1)).toEqual([
      ['2020-W53', '3'],
      ['2021-W01', '1'],
      ['2021-W05', '1'],
    ]);
    // 12 months before 2022-01: from 2021-01, so 2020-12 is left out.
    const months = await counts('list', '--window', 'month', '--to', '2022-01');
    expect(rows(months.stdout).slice(1)).toEqual([
      ['2021-01', '2'],
      ['2021-02', '1'],
    ]);
  });

  it('refuses a week the year lacks, and a window not in the table, in one line', async () => {
    await expectOneLine(
      [
        'counts',
        'get',
        '--counters',
        join(folder, 'windows.mjs'),
        '--counts-table',
        countsTable,
        '--counter',
        'placed',
        '--key',
        'FR',
        '--window',
        'week',
        '--bucket',
        '2021-W53',
        '--endpoint',
        endpoint(),
      ],
      /InvalidCountQuery: Invalid bucket "2021-W53": expected .*a week bucket that exists/,
    );
    const refused = await counts('list', '--window', 'fortnight');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Allowed choices are minute, hour, day, week, month/);
  });
});
