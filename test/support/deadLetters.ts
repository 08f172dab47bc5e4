import { randomUUID } from 'node:crypto';

import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import { toLambdaRecord } from '../../src/testing/index.js';

/**
 * What Lambda writes to the on-failure destination for a batch that failed every retry:
 * written here from the documented message, independently of the library's
 * lambdaFailureMessage (which a test compares with it).
 */
export const asLambdaWritesIt = (
  records: StreamsApiRecord[],
  { shardId, streamArn }: { shardId: string; streamArn: string },
) => {
  const arrival = (record: StreamsApiRecord | undefined) =>
    new Date(record?.dynamodb?.ApproximateCreationDateTime ?? 0)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  return {
    requestContext: {
      requestId: '12a8a0fa-f8d2-4d42-a6e3-72bae7d1e2f9',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:counts',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId,
      startSequenceNumber: records[0]?.dynamodb?.SequenceNumber as string,
      endSequenceNumber: records[records.length - 1]?.dynamodb?.SequenceNumber as string,
      approximateArrivalOfFirstRecord: arrival(records[0]),
      approximateArrivalOfLastRecord: arrival(records[records.length - 1]),
      batchSize: records.length,
      streamArn,
    },
  };
};

/**
 * What Lambda writes to an S3 on-failure destination for that batch, and under which key:
 * the same document with the invocation's event (the records as the function got them:
 * creation times in epoch seconds, binaries base64, each naming its stream) in `payload`,
 * an escaped JSON string, as AWS documents it.
 */
export const asLambdaWritesItToS3 = (
  records: StreamsApiRecord[],
  { shardId, streamArn, at = new Date() }: { shardId: string; streamArn: string; at?: Date },
) => {
  const event = {
    Records: records.map((record) => ({ ...toLambdaRecord(record), eventSourceARN: streamArn })),
  };
  const iso = at.toISOString();
  const [date = '', time = ''] = iso.slice(0, 19).split('T');
  return {
    key: `aws/lambda/${MAPPING_UUID}/${shardId}/${date.replaceAll('-', '/')}/${date}T${time.replaceAll(':', '.')}-${randomUUID()}`,
    body: JSON.stringify({
      ...asLambdaWritesIt(records, { shardId, streamArn }),
      payload: JSON.stringify(event),
    }),
  };
};

const MAPPING_UUID = 'a1b2c3d4-5678-90ab-cdef-0123456789ab';
