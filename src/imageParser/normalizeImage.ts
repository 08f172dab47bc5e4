import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB Local's streams lose the type of empty maps: `payload: { M: {} }` comes back
 * as `payload: {}`, which `unmarshall` cannot read. An attribute value with no type at
 * all can only be such a map, so it is read as one, at any depth.
 */
export const normalizeImage = (image: Record<string, unknown>): Record<string, AttributeValue> =>
  Object.fromEntries(
    Object.entries(image).map(([name, value]) => [name, normalizeValue(value)]),
  ) as Record<string, AttributeValue>;

const normalizeValue = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (entries.length === 0) return { M: {} };
  const typed = value as { M?: unknown; L?: unknown };
  if (typeof typed.M === 'object' && typed.M !== null && !Array.isArray(typed.M)) {
    return { ...value, M: normalizeImage(typed.M as Record<string, unknown>) };
  }
  if (Array.isArray(typed.L)) return { ...value, L: typed.L.map(normalizeValue) };
  return value;
};
