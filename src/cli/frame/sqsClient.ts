import type { SQSClient } from '@aws-sdk/client-sqs';

import { CounterError } from '../../shared/index.js';
import { loadForCommand } from './loadForCommand.js';
import { endpointRegion } from './region.js';
import { hasAwsCredentials } from './withConnection.js';

// sqs.<region>.amazonaws.com, and the legacy <region>.queue.amazonaws.com.
const AWS_QUEUE_HOST = /^(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue)\.amazonaws\.com(?:\.cn)?$/;

/**
 * The client for one queue, made from its URL: requests go to the URL's host, signed for the
 * region it names (the queue may live in another region than AWS_REGION says). A host that
 * is not AWS's (a local SQS-compatible server) gets placeholder credentials when none are set.
 */
export const sqsClientFor = async (queueUrl: string): Promise<SQSClient> => {
  let url: URL;
  try {
    url = new URL(queueUrl);
  } catch {
    throw new CounterError('CliUsage', {
      explanation: `Invalid --queue-url ${JSON.stringify(queueUrl)}: expected the queue's URL, such as https://sqs.eu-west-1.amazonaws.com/123456789012/counts-dlq.`,
    });
  }
  const { SQSClient } = await loadForCommand(
    'replay --queue-url',
    () => import('@aws-sdk/client-sqs'),
  );
  const match = AWS_QUEUE_HOST.exec(url.hostname);
  const region = match?.[1] ?? match?.[2];
  return new SQSClient({
    endpoint: url.origin,
    region: region ?? endpointRegion(),
    ...(match === null && !hasAwsCredentials()
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
};
