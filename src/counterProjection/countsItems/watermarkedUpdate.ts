import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';

import type { CounterWindow } from '../windows.js';
import {
  countsAttributeNames,
  type CountsItemKey,
  type CountsItemOwner,
  toKeyAttributes,
} from './countsAttributes.js';
import { encodeShardMark, sequenceBytes, type ShardMark, shardMarkName } from './shardMarks.js';

/**
 * The invariant of a shardWatermark counter's counts item (its total, or one window bucket),
 * per stream shard s whose mark the item holds: the item's count holds exactly the records
 * of s that map to it with a sequence number at or below the mark, each once, beside what
 * was counted through refs (records set aside, rebuilds: their refs make each count once).
 * Each write of a run of s's records checks the mark in its own condition and moves it, so
 * that items need nothing from each other: no transaction, 1 WCU per item and batch.
 * It holds while every run handed over is contiguous in s and every record before it is
 * applied or set aside: what the stream runner guarantees, and processRecords checks.
 * A mark is forgotten (pruned) once no record at or below it can be delivered again; then
 * `wf` (markFloor) refuses any record created at or before the forgotten mark's record.
 */
export interface WatermarkRun {
  owner: CountsItemOwner;
  itemKey: CountsItemKey;
  /** A window bucket's (absent for the total): its window, and its TTL with a retention. */
  window?: { name: CounterWindow; expiresAt: number | undefined };
  shardId: string;
  /** The run's first and last sequence numbers (21 to 40 digits) and the sum of its records. */
  first: string;
  last: string;
  delta: bigint;
  /** Creation times (epoch s) of the run's last record and of its oldest. */
  lastCreatedAt: number;
  oldestCreatedAt: number;
  /** The rebuild mark the batch saw for the counter: its id once ended, none otherwise. */
  rebuildId: string | undefined;
}

const SHARD_WATERMARK = 'shardWatermark';

/** The clauses a run's write SETs beside its count. */
const setClauses = (run: WatermarkRun): string[] => [
  '#counter = :counter',
  '#key = :key',
  '#mark = :mark',
  '#watermarked = :true',
  '#idempotency = :idempotency',
  ...(run.window !== undefined ? ['#window = :window'] : []),
  ...(run.window?.expiresAt !== undefined ? ['#expiresAt = :expiresAt'] : []),
  ...(run.rebuildId !== undefined ? ['#rebuildId = :rebuildId'] : []),
];

/** What the item must be for the run to apply: each clause is read back by refusals.ts. */
const conditionClauses = (run: WatermarkRun): string[] => [
  '(attribute_not_exists(#mark) OR #mark < :first)',
  '(attribute_not_exists(#markFloor) OR #markFloor < :oldest)',
  // A key counted through refs by another kind of counter is never counted through marks.
  '(attribute_not_exists(#count) OR #idempotency = :idempotency)',
  run.rebuildId === undefined
    ? 'attribute_not_exists(#rebuildId)'
    : '(attribute_not_exists(#rebuildId) OR #rebuildId = :rebuildId)',
];

// The same in every update (a request's values are only read): built once, not per item.
const TRUE: AttributeValue = { BOOL: true };
const WATERMARK_IDEMPOTENCY: AttributeValue = { S: SHARD_WATERMARK };

/** Built field by field, not with conditional spreads: once per counts item and batch. */
const valuesOf = (run: WatermarkRun): Record<string, AttributeValue> => {
  const values: Record<string, AttributeValue> = {
    ':delta': { N: String(run.delta) },
    ':counter': { S: run.owner.counterName },
    ':key': { S: run.owner.key },
    ':mark': { B: encodeShardMark(run.last, run.lastCreatedAt) },
    ':first': { B: sequenceBytes(run.first) },
    ':oldest': { N: String(run.oldestCreatedAt) },
    ':true': TRUE,
    ':idempotency': WATERMARK_IDEMPOTENCY,
  };
  if (run.window !== undefined) {
    values[':window'] = { S: run.window.name };
    if (run.window.expiresAt !== undefined)
      values[':expiresAt'] = { N: String(run.window.expiresAt) };
  }
  if (run.rebuildId !== undefined) values[':rebuildId'] = { S: run.rebuildId };
  return values;
};

/** The parts of a run's update that depend only on its shape: built once per shape and shard. */
interface UpdateShape {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
}

// Per shard, the shapes by which clauses a run has (a window, an expiry, a rebuild: 8 at most),
// found without building a string per run.
const shapesByShard = new Map<string, (UpdateShape | undefined)[]>();
const MAX_SHARDS = 1_000;

const shapeOf = (run: WatermarkRun): UpdateShape => {
  let shapes = shapesByShard.get(run.shardId);
  if (shapes === undefined) {
    if (shapesByShard.size >= MAX_SHARDS) shapesByShard.clear(); // shards come and go: bounded
    shapesByShard.set(run.shardId, (shapes = []));
  }
  const index =
    (run.window === undefined ? 0 : 1) +
    (run.window?.expiresAt === undefined ? 0 : 2) +
    (run.rebuildId === undefined ? 0 : 4);
  let shape = shapes[index];
  if (shape !== undefined) return shape;
  shape = {
    UpdateExpression: `ADD #count :delta SET ${setClauses(run).join(', ')}`,
    ConditionExpression: conditionClauses(run).join(' AND '),
    ExpressionAttributeNames: {
      ...countsAttributeNames(
        'count',
        'counter',
        'key',
        'watermarked',
        'idempotency',
        'markFloor',
        'rebuildId',
        ...(run.window !== undefined ? (['window'] as const) : []),
        ...(run.window?.expiresAt !== undefined ? (['expiresAt'] as const) : []),
      ),
      '#mark': shardMarkName(run.shardId),
    },
  };
  shapes[index] = shape;
  return shape;
};

/** One conditional UpdateItem: the run's records added to the item and its shard's mark moved over them. */
export const watermarkedUpdate = (
  run: WatermarkRun & { tableName: string },
): UpdateItemCommandInput => ({
  TableName: run.tableName,
  Key: toKeyAttributes(run.itemKey),
  ...shapeOf(run),
  ExpressionAttributeValues: valuesOf(run),
  ReturnValues: 'ALL_NEW',
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
});

/**
 * Forgets marks no shard can deliver again (each only if it is still as read), raising the
 * item's floor over them: a record created at or before the floor is refused from then on.
 */
export const forgetMarksUpdate = ({
  tableName,
  itemKey,
  marks,
  floor,
}: {
  tableName: string;
  itemKey: CountsItemKey;
  marks: ShardMark[];
  floor: number;
}): UpdateItemCommandInput => ({
  TableName: tableName,
  Key: toKeyAttributes(itemKey),
  UpdateExpression: `SET #markFloor = :floor REMOVE ${marks.map((_, index) => `#p${index}`).join(', ')}`,
  ConditionExpression: [
    '(attribute_not_exists(#markFloor) OR #markFloor <= :floor)',
    ...marks.map((_, index) => `#p${index} = :p${index}`),
  ].join(' AND '),
  ExpressionAttributeNames: {
    ...countsAttributeNames('markFloor'),
    ...Object.fromEntries(marks.map((mark, index) => [`#p${index}`, mark.name])),
  },
  ExpressionAttributeValues: {
    ':floor': { N: String(floor) },
    ...Object.fromEntries(
      marks.map((mark, index): [string, AttributeValue] => [`:p${index}`, { B: mark.value }]),
    ),
  },
});
