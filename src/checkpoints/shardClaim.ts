import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type Update,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

import { fromSortableSequenceNumber, sortableSequenceNumber } from '../imageParser/index.js';
import { CounterError, isAwsError } from '../shared/index.js';
import type { BatchClaim, ClaimDecisions } from '../streamBatch/index.js';
import { gapOf } from './checkpointGaps.js';

// A batch's claim, in the shard's checkpoint item (the checkpoint table): `decided` is the
// last record (40 digits) whose fate some handler decided and made durable with the claim;
// `sequenceNumber` (the checkpoint) the last record handled. A claim moves `decided` only
// forward, and only from the value its writer saw: two runners of one consumer (a deployment
// starts the new task before stopping the old) never both decide a record. The claim also
// carries the runner's handled progress (the previous batch's last record), so that a batch
// costs one checkpoint write, as it did before claims.

export interface ClaimRequest {
  /** The first and last records of the batch being handed over. */
  first: string;
  last: string;
  /** The last record this runner handled on the shard before the batch (its checkpoint). */
  handled: string | undefined;
  /** When that record was written (`status` ages the checkpoint by it). */
  recordCreatedAt?: string;
  now: Date;
  decide: (decidedThrough: string | undefined) => ClaimDecisions;
}

export interface ClaimTarget {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
  key: Record<string, AttributeValue>;
}

interface Stored {
  decided: string | undefined;
  handled: string | undefined;
  decidedAt: string | undefined;
  untoldGap: string | undefined;
}

const storedOf = (item: Record<string, AttributeValue> | undefined): Stored => ({
  decided: item?.decided?.S,
  handled: item?.sequenceNumber?.S,
  decidedAt: item?.decidedAt?.S,
  untoldGap: item === undefined ? undefined : gapOf(item).untoldGap?.reason,
});

const sortable = (sequenceNumber: string): string => {
  const value = sortableSequenceNumber(sequenceNumber);
  if (value === undefined)
    throw new CounterError('InvalidStreamRecord', {
      sequenceNumber,
      field: 'dynamodb.SequenceNumber',
      value: sequenceNumber,
      expected: 'a stream sequence number of 21 to 40 digits',
    });
  return value;
};

const laterOf = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : sortable(a) >= sortable(b) ? a : b;

/** What the handler is told: from what was stored before this claim, and the runner's own progress. */
const claimOf = (stored: Stored, handled: string | undefined): BatchClaim => {
  const handledThrough = laterOf(stored.handled, handled);
  return {
    ...(handledThrough !== undefined ? { handledThrough } : {}),
    ...(stored.decided !== undefined
      ? { decidedThrough: fromSortableSequenceNumber(stored.decided) }
      : {}),
    ...(stored.decidedAt !== undefined ? { decidedAt: stored.decidedAt } : {}),
    ...(stored.untoldGap !== undefined ? { untoldGap: stored.untoldGap } : {}),
  };
};

/** The claim's update: `decided` moves to the batch's last record, from what its writer saw. */
const claimUpdate = (
  target: ClaimTarget,
  request: ClaimRequest & { through: string },
  seen: Stored | 'fresh',
): Update & { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } => {
  const handled = seen === 'fresh' ? request.handled : laterOf(seen.handled, request.handled);
  const createdAt = handled === request.handled ? request.recordCreatedAt : undefined;
  const values: Record<string, AttributeValue> = {
    ':last': { S: sortable(request.through) },
    ':now': { S: request.now.toISOString() },
    ...(handled !== undefined ? { ':handled': { S: handled } } : {}),
    ...(createdAt !== undefined ? { ':createdAt': { S: createdAt } } : {}),
  };
  if (seen === 'fresh') values[':first'] = { S: sortable(request.first) };
  else if (seen.decided !== undefined) values[':seen'] = { S: seen.decided };
  return {
    TableName: target.tableName,
    Key: target.key,
    UpdateExpression: `SET decided = :last, decidedAt = :now${handled !== undefined ? ', sequenceNumber = :handled' : ''}${createdAt !== undefined ? ', recordCreatedAt = :createdAt' : ''}`,
    ConditionExpression:
      seen === 'fresh'
        ? 'attribute_not_exists(decided) OR decided < :first'
        : seen.decided === undefined
          ? 'attribute_not_exists(decided)'
          : 'decided = :seen',
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
};

/**
 * Claims a batch: in the common case (nothing of it decided before) one conditional
 * UpdateItem, or a transaction with the handler's decisions. When another claim decided part
 * of it, the rest is claimed from what that claim left (read again on every conflict).
 */
export const claimShardBatch = async (
  target: ClaimTarget,
  request: ClaimRequest,
): Promise<BatchClaim> => {
  let seen: Stored | 'fresh' = 'fresh';
  for (;;) {
    const { writes, through = request.last } = request.decide(
      seen === 'fresh' ? undefined : decidedOf(seen),
    );
    // Nothing (more) to decide: what was decided before is all the handler is told.
    if (through === null || (seen !== 'fresh' && isDecided(seen, through))) {
      if (seen !== 'fresh') return claimOf(seen, request.handled);
      seen = await readStored(target);
      continue;
    }
    const update = claimUpdate(target, { ...request, through }, seen);
    try {
      if (writes.length === 0 && seen === 'fresh') {
        const { Attributes } = await target.dynamoDBClient.send(
          new UpdateItemCommand({ ...update, ReturnValues: 'ALL_OLD' }),
        );
        return claimOf(storedOf(Attributes), request.handled);
      }
      if (seen === 'fresh')
        seen = await readStored(target); // the transaction returns nothing
      else {
        await sendClaim(target, update, writes);
        return claimOf(seen, request.handled);
      }
    } catch (error) {
      const old = refusedItem(error);
      if (old === undefined) throw error;
      seen = storedOf(old);
    }
  }
};

const isDecided = (stored: Stored, through: string): boolean =>
  stored.decided !== undefined && stored.decided >= sortable(through);

const decidedOf = (stored: Stored): string | undefined =>
  stored.decided === undefined ? undefined : fromSortableSequenceNumber(stored.decided);

const readStored = async (target: ClaimTarget): Promise<Stored> => {
  const { Item } = await target.dynamoDBClient.send(
    new GetItemCommand({ TableName: target.tableName, Key: target.key, ConsistentRead: true }),
  );
  return storedOf(Item);
};

const sendClaim = async (
  target: ClaimTarget,
  update: Update,
  decisions: TransactWriteItem[],
): Promise<void> => {
  if (decisions.length === 0) {
    await target.dynamoDBClient.send(new UpdateItemCommand(update));
    return;
  }
  await target.dynamoDBClient.send(
    new TransactWriteItemsCommand({ TransactItems: [{ Update: update }, ...decisions] }),
  );
};

/** The checkpoint as it was when the claim's condition refused it; undefined for any other error. */
const refusedItem = (error: unknown): Record<string, AttributeValue> | undefined => {
  if (isAwsError(error, 'ConditionalCheckFailedException'))
    return (error as { Item?: Record<string, AttributeValue> }).Item ?? {};
  if (!isAwsError(error, 'TransactionCanceledException')) return undefined;
  const [reason] =
    (error as { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] })
      .CancellationReasons ?? [];
  // Cancelled for another reason (a decision's own condition, a conflict): thrown as it came.
  return reason?.Code === 'ConditionalCheckFailed' ? (reason.Item ?? {}) : undefined;
};
