import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import { fromSortableSequenceNumber } from '../imageParser/index.js';
import { errorMessageOf } from '../shared/index.js';
import { asideItem, type CountsImage, decodeStoredRecord } from './countsItems/index.js';
import { planBatch } from './planBatch.js';
import type { ProcessRecordsContext } from './processRecords.js';
import { noStats } from './processRecordsResult.js';
import { queryPartition } from './readPages.js';
import { commitBatch } from './writePath/index.js';

export interface SetAsideReport {
  /** Records set aside that are now counted (through refs). */
  counted: number;
  /** Records that still fail: fix the counter (or the event) and call again. */
  stillFailing: { shardId: string; sequenceNumber: string; error: string }[];
}

type CountSetAsideContext = Omit<ProcessRecordsContext, 'logger'>;

/**
 * Counts the records set aside (by a stream batch of shardWatermark counters) through refs,
 * for every counter of the projection: refs make a second call count nothing twice, and a
 * record set aside was never counted through marks (its claim decided it once). Each counted
 * record stays listed, marked counted, for a week (TTL): a late redelivery of it is skipped.
 */
export const countSetAside = async (context: CountSetAsideContext): Promise<SetAsideReport> => {
  const report: SetAsideReport = { counted: 0, stillFailing: [] };
  const items = await queryPartition(context, { pk: asideItem.partition });
  for (const item of items) await countOne(context, item, report);
  return report;
};

const countOne = async (
  context: CountSetAsideContext,
  item: CountsImage,
  report: SetAsideReport,
): Promise<void> => {
  const key = asideItem.decodeKey(item);
  const stored = asideItem.decodeRecord(item);
  if (key === undefined || stored === undefined || stored.counted) return;
  const fail = (error: unknown) =>
    report.stillFailing.push({
      shardId: key.shardId,
      sequenceNumber: fromSortableSequenceNumber(key.watermark),
      error: errorMessageOf(error),
    });
  const plan = planBatch(
    [decodeStoredRecord(stored.record)],
    { ...context, collectFailures: false },
    noStats(),
  );
  const [failure] = plan.failures;
  if (failure !== undefined) return void fail(failure.error);
  const committed = await commitBatch({ increments: plan.increments, context, tally: noStats() });
  if (committed.failure !== undefined) return void fail(committed.failure.error);
  await context.dynamoDBClient.send(
    new UpdateItemCommand(asideItem.markCounted({ tableName: context.tableName, ...key })),
  );
  report.counted += 1;
};
