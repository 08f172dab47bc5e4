import type { S3Client } from '@aws-sdk/client-s3';

import { CounterError } from '../../shared/index.js';
import { loadForCommand } from './loadForCommand.js';
import { endpointRegion } from './region.js';
import { hasAwsCredentials } from './withConnection.js';

/**
 * The client for the on-failure bucket: AWS's S3 as the usual AWS environment says, in the
 * bucket's own region whatever AWS_REGION says (S3 redirects, the client follows). An
 * endpoint of another S3-compatible server (AWS_ENDPOINT_URL_S3, or AWS_ENDPOINT_URL, which
 * the SDK reads) is addressed path-style, with placeholder credentials when none are set.
 */
export const s3ClientFor = async (): Promise<S3Client> => {
  const { S3Client } = await loadForCommand(
    'replay --dead-letter-bucket',
    () => import('@aws-sdk/client-s3'),
  );
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint))
    throw new CounterError('CliUsage', {
      explanation: `Invalid AWS_ENDPOINT_URL_S3 ${JSON.stringify(endpoint)}: expected a URL, such as http://127.0.0.1:9000.`,
    });
  return new S3Client({
    region: endpointRegion(),
    followRegionRedirects: true,
    ...(endpoint !== undefined ? { forcePathStyle: true } : {}),
    ...(endpoint !== undefined && !hasAwsCredentials()
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
};
