import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

/** The two services the CLI's clients call: each has its endpoint, and its own variable for it. */
export type Service = 'DynamoDB' | 'DynamoDB Streams';

/** The SDK's variable for each service's endpoint (AWS_ENDPOINT_URL, read after it, serves all). */
export const ENDPOINT_VARIABLES: Record<Service, string> = {
  DynamoDB: 'AWS_ENDPOINT_URL_DYNAMODB',
  'DynamoDB Streams': 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS',
};

/** Where a client sends its requests, and who said so: --endpoint, a variable, or AWS's own (undefined). */
export interface ServiceEndpoint {
  service: Service;
  url: string | undefined;
  from: string | undefined;
}

/**
 * The endpoint a client of `service` uses: --endpoint (or the embedded DynamoDB Local)
 * for both; without it, as the SDK resolves it: the service's variable, then
 * AWS_ENDPOINT_URL, then AWS's endpoint for the region.
 */
export const serviceEndpoint = (service: Service, given: string | undefined): ServiceEndpoint => {
  if (given !== undefined) return { service, url: given, from: '--endpoint' };
  if (process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'true')
    for (const variable of [ENDPOINT_VARIABLES[service], 'AWS_ENDPOINT_URL']) {
      const url = process.env[variable];
      if (url !== undefined && url !== '') return { service, url, from: variable };
    }
  return { service, url: undefined, from: undefined };
};

const streamsErrors = new WeakSet();

/** Marks every error the client throws, so that the error line names the Streams endpoint. */
export const markStreamsErrors = (client: DynamoDBStreamsClient): void =>
  client.middlewareStack.add(
    (next) => (args) =>
      next(args).catch((error: unknown) => {
        if (typeof error === 'object' && error !== null) streamsErrors.add(error);
        throw error;
      }),
    { step: 'initialize', name: 'markStreamsErrors' },
  );

/** The service whose client threw this error (or the error it wraps). */
export const serviceOf = (error: unknown): Service => {
  const cause = error instanceof Error ? error.cause : undefined;
  const marked = [error, cause].some(
    (e) => typeof e === 'object' && e !== null && streamsErrors.has(e),
  );
  return marked ? 'DynamoDB Streams' : 'DynamoDB';
};
