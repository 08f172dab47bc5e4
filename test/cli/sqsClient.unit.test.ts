import { afterEach, describe, expect, it, vi } from 'vitest';

import { sqsClientFor } from '../../src/cli/frame/sqsClient.js';

afterEach(() => vi.unstubAllEnvs());

const configOf = async (queueUrl: string) => {
  const client = await sqsClientFor(queueUrl);
  try {
    const endpoint = await client.config.endpoint?.();
    const credentials = await client.config.credentials().catch(() => undefined);
    return {
      region: await client.config.region(),
      endpoint: `${endpoint?.protocol}//${endpoint?.hostname}${endpoint?.port === undefined ? '' : `:${endpoint.port}`}`,
      accessKeyId: credentials?.accessKeyId,
    };
  } finally {
    client.destroy();
  }
};

describe("replay --queue-url's client", () => {
  it('signs for the region the queue URL names, whatever AWS_REGION says', async () => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    expect(await configOf('https://sqs.eu-west-3.amazonaws.com/123456789012/counts-dlq')).toEqual({
      region: 'eu-west-3',
      endpoint: 'https://sqs.eu-west-3.amazonaws.com',
      accessKeyId: 'AKIDEXAMPLE',
    });
    expect(await configOf('https://ap-south-1.queue.amazonaws.com/123456789012/q')).toMatchObject({
      region: 'ap-south-1',
      endpoint: 'https://ap-south-1.queue.amazonaws.com',
    });
  });

  it('talks to a local SQS-compatible server with placeholder credentials and a real region when none are set', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    expect(await configOf('http://127.0.0.1:9324/000000000000/dlq')).toEqual({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9324',
      accessKeyId: 'local',
    });
  });

  it('refuses a queue URL that is not a URL, saying what one looks like', async () => {
    await expect(sqsClientFor('counts-dlq')).rejects.toThrow(
      /Invalid --queue-url "counts-dlq": expected the queue's URL, such as https:\/\/sqs\./,
    );
  });
});
