import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { useDynamoDB } from './dynamoDB.js';

// The fixture drops its tables in afterAll: a describe's afterAll runs before the next
// describe's tests, so the second block sees what the first one left behind.
const { client: observer } = useDynamoDB();
const made: string[] = [];

const tableNames = async () => {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await observer.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  return names;
};

describe('useDynamoDB, in use (DynamoDB Local)', () => {
  const { createTestEventTable, createTestCountsTable, uniqueTableName } = useDynamoDB();

  it('creates tables of the file, and names tables never created', async () => {
    made.push(await createTestEventTable(), await createTestCountsTable({ stream: true }));
    made.push(uniqueTableName('never-created'));
    expect(await tableNames()).toEqual(expect.arrayContaining(made.slice(0, 2)));
  });
});

describe('useDynamoDB, after the tests that used it', () => {
  it('dropped every table it named (a name never created included)', async () => {
    expect(made).toHaveLength(3);
    const names = await tableNames();
    for (const name of made) expect(names).not.toContain(name);
  });
});
