/**
 * The region requests to a given endpoint are signed for: the environment's, else a real
 * region name. DynamoDB Local (with -sharedDb) accepts any; a server that checks regions,
 * as AWS does, refuses a made-up one such as "local".
 */
export const DEFAULT_ENDPOINT_REGION = 'us-east-1';

export const endpointRegion = (): string =>
  process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? DEFAULT_ENDPOINT_REGION;
