import { readRecordFields, type StreamRecord } from '../imageParser/index.js';
import { mapWithConcurrency } from '../shared/index.js';

export interface ItemsInOrderResult<OUTCOME> {
  /** The outcomes of the records before the first failing one, in batch order. */
  outcomes: OUTCOME[];
  /** The first record of the batch that failed (or was never reached behind a failure). */
  failure?: { position: number; error: unknown };
}

/**
 * Handles a batch as a Lambda stream handler must: the records of one item (its key) in
 * stream order, items side by side (`concurrency` at once); an item stops at its first
 * failure. The batch is cut at its first record not handled: that record, and every
 * later one, is delivered again (those already handled must be idempotent).
 */
export const processItemsInOrder = async <OUTCOME>(
  records: readonly StreamRecord[],
  {
    concurrency,
    handle,
  }: {
    concurrency: number;
    /** Handles one record; a throw fails it. */
    handle: (record: StreamRecord, position: number) => Promise<OUTCOME>;
  },
): Promise<ItemsInOrderResult<OUTCOME>> => {
  const settled = new Array<{ outcome: OUTCOME } | { error: unknown } | undefined>(records.length);
  await mapWithConcurrency(
    [...positionsByItem(records).values()],
    concurrency,
    async (positions) => {
      for (const position of positions) {
        try {
          settled[position] = {
            outcome: await handle(records[position] as StreamRecord, position),
          };
        } catch (error) {
          settled[position] = { error };
          return;
        }
      }
    },
  );
  const failedAt = settled.findIndex((result) => result === undefined || 'error' in result);
  const handled = (failedAt === -1 ? settled : settled.slice(0, failedAt)) as {
    outcome: OUTCOME;
  }[];
  const outcomes = handled.map(({ outcome }) => outcome);
  if (failedAt === -1) return { outcomes };
  // A record not reached has an earlier record of its item that failed, at a lower
  // position: the first record not handled is always one that failed.
  const failed = settled[failedAt];
  const error = failed !== undefined && 'error' in failed ? failed.error : undefined;
  return { outcomes, failure: { position: failedAt, error } };
};

/** Record positions per item (its key attributes), in stream order. */
const positionsByItem = (records: readonly StreamRecord[]): Map<string, number[]> => {
  const items = new Map<string, number[]>();
  records.forEach((record, position) => {
    const item = JSON.stringify(readRecordFields(record).keys ?? position);
    items.set(item, [...(items.get(item) ?? []), position]);
  });
  return items;
};
