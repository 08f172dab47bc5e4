import {
  COUNTS_TABLE_PK,
  COUNTS_TABLE_SK,
  type CountsImage,
  totalItem,
  type TotalState,
} from '../counterProjection/index.js';
import { recordCreatedAtMs, type StreamRecord } from '../imageParser/index.js';
import { CounterError } from '../shared/index.js';

/** A write of a counter key's total item, as its stream record shows it. */
export interface TotalWrite {
  counterName: string;
  key: string;
  before: TotalState;
  after: TotalState;
}

/** Why a record of the counts table's stream has nothing to react to. */
export type CountsRecordSkip = 'NotATotal' | 'Removed';

type Image = CountsImage | undefined;

/**
 * Reads a counts table stream record (NEW_AND_OLD_IMAGES; Lambda's or the Streams API's
 * shape). Windows and refs are skipped, as is a removed total (nothing was reached). A
 * total whose images are not what the projection writes is refused: reacting to a
 * misread count could fire what was not reached.
 */
export const readTotalWrite = (
  record: StreamRecord | null | undefined,
): TotalWrite | CountsRecordSkip => {
  // A hostile record may be anything, null included.
  const { eventName, dynamodb } = (record ?? {}) as {
    eventName?: unknown;
    dynamodb?: { Keys?: Image | null; OldImage?: Image; NewImage?: Image };
  };
  const fail = (reason: string): never => {
    throw new CounterError('InvalidCountsRecord', { value: record, reason });
  };
  if (typeof dynamodb?.Keys !== 'object' || dynamodb.Keys === null) return fail('no Keys');
  const partitionKey = totalPartitionKey(dynamodb.Keys);
  if (partitionKey === undefined) return 'NotATotal';
  if (eventName === 'REMOVE') return 'Removed';
  // A crossing's reachedAt is the record's creation time: one that is no time is refused.
  const createdAt = (dynamodb as { ApproximateCreationDateTime?: unknown })
    .ApproximateCreationDateTime;
  if (createdAt !== undefined && recordCreatedAtMs(record) === undefined)
    fail('ApproximateCreationDateTime not a time');
  const { OldImage: before, NewImage: after } = dynamodb;
  if (eventName !== 'INSERT' && eventName !== 'MODIFY') return fail('eventName');
  if (after === undefined || (eventName === 'MODIFY' && before === undefined))
    return fail('no NewImage or OldImage: the stream must be NEW_AND_OLD_IMAGES');
  const { counterName, key, ...afterState } = totalItem.decode(after, partitionKey, fail);
  return { counterName, key, before: totalItem.decodeState(before, fail), after: afterState };
};

/** The partition key of a counter key's total item (`T#…`, sort key `total`); undefined for any other item. */
const totalPartitionKey = (keys: Image): string | undefined => {
  const partitionKey = keys?.[COUNTS_TABLE_PK]?.S;
  return totalItem.isKey(partitionKey, keys?.[COUNTS_TABLE_SK]?.S) ? partitionKey : undefined;
};
