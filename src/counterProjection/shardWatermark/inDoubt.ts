import { fromSortableSequenceNumber } from '../../imageParser/index.js';
import { CounterError, errorMessageOf } from '../../shared/index.js';
import type { FailedRecord } from '../planBatch.js';
import { markNotExact } from './notExactMarks.js';
import { putSetAside } from './setAsideRecords.js';

/** After this long, a delivery that decided a record and never finished is taken as stopped. */
export const IN_DOUBT_MS = 10 * 60_000;

type Context = Parameters<typeof markNotExact>[0] &
  Parameters<typeof putSetAside>[0] & {
    counters: Parameters<typeof markNotExact>[1];
  };

/**
 * A record an earlier delivery decided to count (it may have) fails now: held while that
 * delivery may be finishing; once it is taken as stopped, the shardWatermark counters are
 * marked not exact and the record set aside (refs counters count it, once, through refs).
 */
export const inDoubt = async (
  context: Context,
  {
    shardId,
    sortable,
    failure,
    decidedAt,
  }: { shardId: string; sortable: string; failure: FailedRecord; decidedAt: string | undefined },
): Promise<CounterError | undefined> => {
  const sequenceNumber = fromSortableSequenceNumber(sortable);
  const decidedMs = decidedAt === undefined ? NaN : Date.parse(decidedAt);
  if (!(Date.now() - decidedMs > IN_DOUBT_MS))
    return new CounterError('RecordInDoubt', {
      shardId,
      sequenceNumber,
      decidedAt: decidedAt ?? 'an unknown time',
      cause: errorMessageOf(failure.error),
    });
  await markNotExact(
    context,
    context.counters,
    `record ${sequenceNumber} of shard ${shardId}, decided by a delivery that stopped before it finished, fails now (${errorMessageOf(failure.error)}): it may or may not be in the counts`,
  );
  await putSetAside(context, { ...failure, shardId, sortable });
  return undefined;
};
