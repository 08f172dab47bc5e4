import type { TestProject } from 'vitest/node';

import { startDynamoDBLocal } from '../../src/dynamoDBLocal/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDBEndpoint: string;
  }
}

/**
 * Starts one DynamoDB Local for the whole run (each test file makes its own tables),
 * or uses DYNAMODB_ENDPOINT when set. The returned teardown runs even when tests fail.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // `npm run test:unit` runs only files that use no server: none is started for them.
  if (process.env.TEST_TIER === 'unit') return;
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external !== undefined && external !== '') {
    project.provide('dynamoDBEndpoint', external);
    return;
  }
  const server = await startDynamoDBLocal();
  project.provide('dynamoDBEndpoint', server.endpoint);
  return () => server.stop();
}
