import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { createCheckpointTable } from '../../src/streamRunner/index.js';
import { runCli } from '../support/cli.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';
import { makeOrdersStore } from '../support/eventStores.js';

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

const IDEMPOTENCIES = ['shardWatermark', 'refs'] as const;

/** One counter of every order, counted with the given idempotency. */
const countersModule = (idempotency: string) => `
import { counter } from '${src('counterProjection/index.ts')}';
import { makeOrdersStore } from '${src('example/eventStores.ts')}';
const store = makeOrdersStore();
export const sourceEventStores = [store];
export const counters = [
  counter({ name: 'byCountry', eventStore: store, eventTypes: ['ORDER_PLACED'], key: (event) => event.payload.country, idempotency: '${idempotency}' }),
];
`;

const { client, uniqueTableName, createTestEventTable } = useDynamoDB();
let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'counters-'));
  for (const idempotency of IDEMPOTENCIES)
    writeFileSync(join(folder, `${idempotency}.mjs`), countersModule(idempotency));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Five orders in a fresh event table, and run's arguments with that table as the counts table too. */
const setUp = async (idempotency: string): Promise<string[]> => {
  const eventTable = await createTestEventTable();
  const checkpointTable = uniqueTableName('checkpoints');
  await createCheckpointTable({ dynamoDBClient: client, tableName: checkpointTable });
  const store = makeOrdersStore(
    new DynamoDBSingleTableEventStorageAdapter({ tableName: eventTable, dynamoDBClient: client }),
  );
  for (let index = 1; index <= 5; index++)
    await store.pushEvent({
      aggregateId: `o${index}`,
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId: 'c', country: 'FR', quantity: 1 },
    });
  return [
    'run',
    '--counters',
    join(folder, `${idempotency}.mjs`),
    '--event-table',
    eventTable,
    '--counts-table',
    eventTable,
    '--checkpoint-table',
    checkpointTable,
    '--max-retries',
    '1',
    '--endpoint',
    dynamoDBEndpoint(),
  ];
};

describe('run with the event table given as the counts table by mistake', () => {
  it.each(IDEMPOTENCIES)(
    "a %s counter: each attempt's cause is said, and the last again in the final line with 3 of the records; the progress line counts the failed attempts",
    async (idempotency) => {
      const { code, stdout, stderr } = await runCli(await setUp(idempotency));

      expect(code).toBe(1);
      expect(stderr).not.toMatch(/\n\s+at /);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(3);
      // The first attempt's cause, then the second's (the same), then the final line.
      const cause = /^castore-dynamodb-counter: record \d{21} not counted: (\S+: .+)$/.exec(
        lines[0] as string,
      )?.[1];
      expect(cause, lines[0]).toBeDefined();
      expect(cause).not.toMatch(/^Unknown: /);
      expect(lines[1]).toBe('  … the same failure again (1 repeat(s) so far)');
      const final = lines[2] as string;
      expect(final).toMatch(
        /^UndeliverableRecords: Records \d{21}, \d{21}, \d{21} and 2 more of shard shardId-\S+ still fail after 2 attempts \(--max-retries 1\); the last attempt failed with /,
      );
      expect(final).toContain(`the last attempt failed with ${cause}`);
      expect(final).toMatch(
        /The run stopped rather than skip them: fix the cause, then run again; it starts from its checkpoint\. --max-retries -1 retries until it succeeds\.$/,
      );
      // Two attempts of 5 records each.
      expect(stdout).toMatch(/failed attempts 10, dead-lettered 0/);
      expect(stdout).not.toMatch(/failed attempts 0,/);
    },
  );

  it("with DEBUG=1, adds the error's stack and its cause's", async () => {
    const { code, stderr } = await runCli(await setUp('shardWatermark'), {
      ...process.env,
      DEBUG: '1',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/\nUndeliverableRecordsError: Records .*\n\s+at /);
    expect(stderr).toMatch(/\nCaused by: ValidationException: .*\n\s+at /);
  });
});
