import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

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
