import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

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
  const tempBefore = new Set(ourTempFolders());
  const checkTempDir = () => {
    const left = ourTempFolders().filter((name) => !tempBefore.has(name));
    if (left.length === 0) return;
    // An error thrown here is printed but does not fail the run: set the exit code too.
    console.error(
      `The tests left folders in ${tmpdir()}: ${left.join(', ')}; remove them where they are made.`,
    );
    process.exitCode = 1;
  };
  // `npm run test:unit` runs only files that use no server: none is started for them.
  if (process.env.TEST_TIER === 'unit') return checkTempDir;
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external !== undefined && external !== '') {
    project.provide('dynamoDBEndpoint', external);
    return checkTempDir;
  }
  const server = await startDynamoDBLocal();
  project.provide('dynamoDBEndpoint', server.endpoint);
  return async () => {
    await server.stop();
    checkTempDir();
  };
}

/** The temp folders our tests and CDK make (mkdtemp prefixes), to check none is left behind. */
const ourTempFolders = (): string[] =>
  readdirSync(tmpdir()).filter((name) =>
    /^(cdk\.out|chaos-db-|counters-|empty-path-|consumer-|aws-config-)/.test(name),
  );
