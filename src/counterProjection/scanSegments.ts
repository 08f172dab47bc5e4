import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

import {
  integerOption,
  mapWithConcurrency,
  type RetryOptions,
  withRetry,
} from '../shared/index.js';

type Item = Record<string, AttributeValue>;

export interface ScanSegmentsOptions {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  /** Parallel Scan segments. Default 4. */
  segments?: number | undefined;
  /** Items per Scan page. Default 500. */
  pageSize?: number | undefined;
  /** Throttling and 5xx are retried with these, past the SDK client's own retries. */
  retry: RetryOptions;
  /** Only items whose partition key starts with one of these (a filter: the whole table is read). */
  partitionPrefixes?: readonly string[];
}

/**
 * Every item of a table, by a strongly consistent Scan in parallel segments, page by page:
 * `onPage` is awaited before the segment reads on. The one scan of the library (rebuild,
 * verify): a throttled page is read again (withRetry), never skipped.
 */
export const scanSegments = async (
  options: ScanSegmentsOptions,
  onPage: (items: Item[], where: { segment: number; page: number }) => Promise<void> | void,
): Promise<void> => {
  // DynamoDB allows 1,000,000 segments; 0, NaN or 0.5 would scan nothing and report success.
  const segments = integerOption('segments', options.segments, {
    min: 1,
    max: 1_000_000,
    defaultValue: 4,
  });
  const pageSize = integerOption('pageSize', options.pageSize, { min: 1, defaultValue: 500 });
  await mapWithConcurrency(
    Array.from({ length: segments }, (_, segment) => segment),
    segments,
    async (segment) => {
      let startKey: Item | undefined;
      let page = 0;
      do {
        const request = { segment, segments, pageSize, startKey };
        const result = await withRetry(() => scanPage(options, request), options.retry);
        await onPage(result.Items ?? [], { segment, page });
        startKey = result.LastEvaluatedKey;
        page += 1;
      } while (startKey !== undefined);
    },
  );
};

const scanPage = (
  options: ScanSegmentsOptions,
  request: { segment: number; segments: number; pageSize: number; startKey: Item | undefined },
) => {
  const prefixes = options.partitionPrefixes ?? [];
  return options.dynamoDBClient.send(
    new ScanCommand({
      TableName: options.tableName,
      Segment: request.segment,
      TotalSegments: request.segments,
      Limit: request.pageSize,
      ExclusiveStartKey: request.startKey,
      ConsistentRead: true,
      ...(prefixes.length === 0
        ? {}
        : {
            FilterExpression: prefixes
              .map((_, index) => `begins_with(pk, :p${index})`)
              .join(' OR '),
            ExpressionAttributeValues: Object.fromEntries(
              prefixes.map((prefix, index) => [`:p${index}`, { S: prefix }]),
            ),
          }),
    }),
  );
};
