import { afterEach, describe, expect, it, vi } from 'vitest';

import { s3ClientFor } from '../../src/cli/frame/s3Client.js';

afterEach(() => vi.unstubAllEnvs());

const configOf = async () => {
  const client = await s3ClientFor();
  try {
    const credentials = await client.config.credentials().catch(() => undefined);
    return {
      region: await client.config.region(),
      forcePathStyle: client.config.forcePathStyle,
      followRegionRedirects: client.config.followRegionRedirects,
      accessKeyId: credentials?.accessKeyId,
    };
  } finally {
    client.destroy();
  }
};

const withoutAwsEnvironment = () => {
  for (const name of [
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_PROFILE',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_S3',
  ])
    vi.stubEnv(name, undefined);
};

describe("replay --dead-letter-bucket's client", () => {
  it('follows S3 to the bucket’s region, whatever AWS_REGION says, with the usual credentials', async () => {
    withoutAwsEnvironment();
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    expect(await configOf()).toEqual({
      region: 'us-east-1',
      forcePathStyle: false,
      followRegionRedirects: true,
      accessKeyId: 'AKIDEXAMPLE',
    });
  });

  it('talks path-style to a local S3-compatible server, with placeholder credentials and a real region when none are set', async () => {
    withoutAwsEnvironment();
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:9000');
    expect(await configOf()).toEqual({
      region: 'us-east-1',
      forcePathStyle: true,
      followRegionRedirects: true,
      accessKeyId: 'local',
    });
  });

  it('refuses an endpoint that is not a URL, saying what one looks like', async () => {
    withoutAwsEnvironment();
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'minio:9000');
    await expect(s3ClientFor()).rejects.toThrow(
      /Invalid AWS_ENDPOINT_URL_S3 "minio:9000": expected a URL, such as http:\/\/127\.0\.0\.1:9000\./,
    );
  });
});
