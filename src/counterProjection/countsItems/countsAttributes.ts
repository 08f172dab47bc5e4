import type { AttributeValue } from '@aws-sdk/client-dynamodb';

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
} as const;

type CountsAttribute = keyof typeof COUNTS_ATTRIBUTES;

/** ExpressionAttributeNames for `#name` placeholders of counts attributes. */
export const countsAttributeNames = (
  ...names: CountsAttribute[]
): Record<`#${CountsAttribute}`, string> =>
  Object.fromEntries(names.map((name) => [`#${name}`, COUNTS_ATTRIBUTES[name]])) as Record<
    `#${CountsAttribute}`,
    string
  >;

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

/**
 * A counts item as read back: from GetItem/Query (AttributeValues), or from a stream image,
 * which a hostile or foreign record may fill with anything.
 */
export type CountsImage = Record<string, { S?: unknown; N?: unknown } | undefined>;

/** Called with why an item is not what the projection writes; throws the caller's error. */
export type DecodeFail = (reason: string) => never;

// DynamoDB numbers hold 38 digits: counts are decoded as bigints, never rounded.
const INTEGER = /^-?\d{1,38}$/;

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
