import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Delivers records to a handler as Lambda's event source mapping does, with or without
 * ReportBatchItemFailures in FunctionResponseTypes: without it, a returned value is
 * success for the whole batch and only a throw retries it; with it, the batch is retried
 * from the lowest reported record. Returns how far the mapping got and how many invokes it took.
 */
export const deliverLikeLambda = async ({
  handler,
  records,
  reportBatchItemFailures,
  maximumRetryAttempts = 3,
}: {
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  records: DynamoDBRecord[];
  reportBatchItemFailures: boolean;
  maximumRetryAttempts?: number;
}): Promise<{ checkpointed: number; invokes: number }> => {
  let from = 0;
  let invokes = 0;
  for (let attempt = 0; from < records.length && attempt <= maximumRetryAttempts; attempt++) {
    invokes += 1;
    try {
      const response = await handler({ Records: records.slice(from) });
      const failures = reportBatchItemFailures ? (response?.batchItemFailures ?? []) : [];
      if (failures.length === 0) return { checkpointed: records.length, invokes };
      const indexes = failures.map(({ itemIdentifier }) =>
        records.findIndex((r) => r.dynamodb?.SequenceNumber === itemIdentifier),
      );
      from = indexes.includes(-1) ? from : Math.min(...indexes);
    } catch {
      // A thrown error: the whole batch is retried from where it started.
    }
  }
  return { checkpointed: from, invokes };
};
