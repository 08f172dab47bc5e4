import type { TestProject } from 'vitest/node';

import { type DynamoDBLocal, startDynamoDBLocal } from '../../src/dynamoDBLocal/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDBEndpoint: string;
  }
}

// The tiers that need a server (integration, end to end) each run this setup, in the one
// main process: they share one DynamoDB Local, stopped when the last of them ends.
const shared = globalThis as {
  dynamoDBLocal?: { server: Promise<DynamoDBLocal>; users: number } | undefined;
};

/**
 * Starts one DynamoDB Local for the run (each test file makes its own tables), or uses
 * DYNAMODB_ENDPOINT when set. The returned teardown runs even when tests fail.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external !== undefined && external !== '') {
    project.provide('dynamoDBEndpoint', external);
    return () => undefined;
  }
  shared.dynamoDBLocal ??= { server: startDynamoDBLocal(), users: 0 };
  const local = shared.dynamoDBLocal;
  local.users += 1;
  project.provide('dynamoDBEndpoint', (await local.server).endpoint);
  return async () => {
    local.users -= 1;
    if (local.users > 0) return;
    shared.dynamoDBLocal = undefined;
    await (await local.server).stop();
  };
}
