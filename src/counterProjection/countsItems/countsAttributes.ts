import type { AttributeValue, Update } from '@aws-sdk/client-dynamodb';

export const COUNTS_TABLE_PK = 'pk';
export const COUNTS_TABLE_SK = 'sk';

/** The attributes of the counts items beside their keys: every reader and writer names them here. */
export const COUNTS_ATTRIBUTES = {
  count: 'count',
  counter: 'counter',
  key: 'key',
  window: 'window',
  refShards: 'refShards',
  target: 'target',
  by: 'by',
  at: 'at',
  ref: 'ref',
  /** Set by every shard-watermark write (countsItems/watermarkedUpdate.ts): the item counts through marks. */
  watermarked: 'wm',
  /** The rebuild a shardWatermark counter's item was written under (rebuildItem.ts). */
  rebuildId: 'rb',
  /** Records created at or before it (epoch s) are refused: the marks of shards that old were forgotten. */
  markFloor: 'wf',
  idempotency: 'idempotency',
  reason: 'reason',
  since: 'since',
  record: 'record',
  error: 'error',
  countedAt: 'countedAt',
  refsBefore: 'refsBefore',
  /** Epoch seconds: the counts table's TTL attribute (window buckets with a retention, watermarks). */
  expiresAt: 'expiresAt',
} as const;

type CountsAttribute = keyof typeof COUNTS_ATTRIBUTES;

// Every write builds these: one object per set of names, shared (the SDK only reads them).
const namesBySet = new Map<string, Record<`#${CountsAttribute}`, string>>();

/** ExpressionAttributeNames for `#name` placeholders of counts attributes. */
export const countsAttributeNames = (
  ...names: CountsAttribute[]
): Record<`#${CountsAttribute}`, string> => {
  const id = names.join(',');
  let built = namesBySet.get(id);
  if (built === undefined) {
    built = Object.freeze(
      Object.fromEntries(names.map((name) => [`#${name}`, COUNTS_ATTRIBUTES[name]])),
    ) as Record<`#${CountsAttribute}`, string>;
    namesBySet.set(id, built);
  }
  return built;
};

/** A counts item's primary key. */
export interface CountsItemKey {
  pk: string;
  sk: string;
}

/** The DynamoDB form of a key: one place, so that every reader and writer agrees. */
export const toKeyAttributes = ({ pk, sk }: CountsItemKey): Record<string, AttributeValue> => ({
  [COUNTS_TABLE_PK]: { S: pk },
  [COUNTS_TABLE_SK]: { S: sk },
});

/** Whose a counts item is, and in which table. */
export interface CountsItemOwner {
  tableName: string;
  counterName: string;
  key: string;
}

/** The parts of an update that depend only on which clauses it has, not on its item or values. */
export interface UpdateShape {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
}

/**
 * The shape of an update of a counts item that also SETs its `counter` and `key`, where
 * readers and reactions read an item's identity: every writer of totals and windows goes
 * through it. Writers build it once per set of clauses (the SDK only reads it).
 */
export const identifiedShape = (update: {
  /** `#count :delta`, ADDed. */
  add?: string;
  /** Further SET clauses. */
  set?: string;
  condition?: string;
  names: CountsAttribute[];
}): UpdateShape => ({
  UpdateExpression: [
    update.add === undefined ? [] : [`ADD ${update.add}`],
    `SET #counter = :counter, #key = :key${update.set === undefined ? '' : `, ${update.set}`}`,
  ]
    .flat()
    .join(' '),
  ...(update.condition === undefined ? {} : { ConditionExpression: update.condition }),
  ExpressionAttributeNames: countsAttributeNames('counter', 'key', ...update.names),
});

/** An update of a counts item of this shape, with its identity's values beside the others. */
export const identifiedUpdate = (
  { tableName, counterName, key }: CountsItemOwner,
  itemKey: CountsItemKey,
  shape: UpdateShape,
  values: Record<string, AttributeValue>,
): Update => ({
  TableName: tableName,
  Key: toKeyAttributes(itemKey),
  ...shape,
  ExpressionAttributeValues: { ':counter': { S: counterName }, ':key': { S: key }, ...values },
});

/**
 * The update, asking for the item as it was when its condition refuses it. Set on the update,
 * not spread into a copy: `{ ...update, more }` costs a microsecond in Node 20's V8, and every
 * counts item a batch writes is one.
 */
export const returningOld = (
  update: Update,
): Update & { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } =>
  Object.assign(update, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const });

/**
 * A counts item as read back: from GetItem/Query (AttributeValues), or from a stream image,
 * which a hostile or foreign record may fill with anything.
 */
export type CountsImage = Record<
  string,
  { S?: unknown; N?: unknown; B?: unknown; BOOL?: unknown } | undefined
>;

/** Called with why an item is not what the projection writes; throws the caller's error. */
export type DecodeFail = (reason: string) => never;

// DynamoDB numbers hold 38 digits: counts are decoded as bigints, never rounded.
const INTEGER = /^-?\d{1,38}$/;

/** The count of a total or a window: 0 for an item never written. */
export const decodeCount = (image: CountsImage | undefined, fail: DecodeFail): bigint =>
  decodeInteger(image, 'count', fail) ?? 0n;

/** An integer attribute (count, target): undefined when absent, refused when not an integer. */
export const decodeInteger = (
  image: CountsImage | undefined,
  name: CountsAttribute,
  fail: DecodeFail,
): bigint | undefined => {
  const attribute = image?.[COUNTS_ATTRIBUTES[name]];
  if (attribute === undefined) return undefined;
  const { N: value } = attribute;
  return typeof value === 'string' && INTEGER.test(value)
    ? BigInt(value)
    : fail(`${name} not an integer`);
};

/** A string attribute as stored, or undefined. */
export const decodeString = (
  image: CountsImage | undefined,
  name: CountsAttribute | typeof COUNTS_TABLE_PK | typeof COUNTS_TABLE_SK,
): string | undefined => {
  const attributeName =
    name === COUNTS_TABLE_PK || name === COUNTS_TABLE_SK ? name : COUNTS_ATTRIBUTES[name];
  const value = image?.[attributeName]?.S;
  return typeof value === 'string' ? value : undefined;
};
