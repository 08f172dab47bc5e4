import type { TestProject } from 'vitest/node';

import { type DynamoDBLocal, startDynamoDBLocal } from '../../src/dynamoDBLocal/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One DynamoDB Local per worker: test/support/dynamoDB.ts's dynamoDBEndpoint() picks its own. */
    dynamoDBEndpoints: string[];
  }
}

// The tiers that need a server (integration, end to end) each run this setup, in the one
// main process: they share the servers, stopped when the last of them ends.
const shared = globalThis as {
  dynamoDBLocal?: { servers: Promise<DynamoDBLocal[]>; users: number } | undefined;
};

/**
 * Starts one DynamoDB Local per worker (each test file makes its own tables), or uses
 * DYNAMODB_ENDPOINT when set. Why one per worker: DynamoDB Local keeps every stream record
 * of the run (of dropped tables too) in one SQLite table, and each write to a table with a
 * stream scans the records before its shard's first: a write late in a run on one shared
 * server took eight times as long as on a fresh one. A worker runs one file at a time, so
 * each server sees a quarter of the run and one file's requests. The returned teardown runs
 * even when tests fail.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external !== undefined && external !== '') {
    project.provide('dynamoDBEndpoints', [external]);
    return () => undefined;
  }
  const count = Math.max(1, project.globalConfig.maxWorkers);
  shared.dynamoDBLocal ??= { servers: startServers(count), users: 0 };
  const local = shared.dynamoDBLocal;
  local.users += 1;
  project.provide(
    'dynamoDBEndpoints',
    (await local.servers).map(({ endpoint }) => endpoint),
  );
  return async () => {
    local.users -= 1;
    if (local.users > 0) return;
    shared.dynamoDBLocal = undefined;
    await Promise.all((await local.servers).map((server) => server.stop()));
  };
}

/** `count` servers started side by side; if one fails to start, the others are stopped. */
const startServers = async (count: number): Promise<DynamoDBLocal[]> => {
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => startDynamoDBLocal()),
  );
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed === undefined) return servers;
  await Promise.all(servers.map((server) => server.stop()));
  throw failed.reason;
};
