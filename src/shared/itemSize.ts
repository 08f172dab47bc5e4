import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB's item size: attribute names plus values (strings in UTF-8 bytes, numbers
 * about one byte per two digits plus one, binary by length, 3 bytes per map or list plus
 * one per element, 1 byte for booleans and nulls).
 */
export const itemSize = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce(
    (size, [name, value]) => size + Buffer.byteLength(name) + valueSize(value),
    0,
  );

const valueSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined)
    return Math.ceil(value.N.replace(/^-/, '').replace('.', '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M !== undefined)
    return (
      3 +
      Object.entries(value.M).reduce(
        (size, [name, child]) => size + Buffer.byteLength(name) + valueSize(child) + 1,
        0,
      )
    );
  if (value.L !== undefined)
    return 3 + value.L.reduce((size, child) => size + valueSize(child) + 1, 0);
  if (value.SS !== undefined) return value.SS.reduce((size, s) => size + Buffer.byteLength(s), 0);
  if (value.NS !== undefined)
    return value.NS.reduce((size, n) => size + Math.ceil(n.length / 2) + 1, 0);
  return 0;
};
