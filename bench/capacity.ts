import {
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB's item size: attribute names plus values (strings in UTF-8 bytes, numbers
 * about one byte per two digits plus one, binary by length, 3 bytes per map or list plus
 * one per element, 1 byte for booleans and nulls).
 */
export const itemSize = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((size, [name, value]) => size + Buffer.byteLength(name) + valueSize(value), 0);

const valueSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-/, '').replace('.', '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((size, [name, child]) => size + Buffer.byteLength(name) + valueSize(child) + 1, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((size, child) => size + valueSize(child) + 1, 0);
  if (value.SS !== undefined) return value.SS.reduce((size, s) => size + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((size, n) => size + Math.ceil(n.length / 2) + 1, 0);
  return 0;
};

/** AWS bills a transactional write 2 WCU per started KB of each item. */
export const transactionWcu = (sizes: number[]): number => sizes.reduce((wcu, size) => wcu + 2 * Math.max(1, Math.ceil(size / 1024)), 0);

/**
 * Wraps a client to count the write capacity each call costs on AWS. Single-item writes
 * ask DynamoDB (ReturnConsumedCapacity: TOTAL, size-based and right); transactions apply
 * AWS's rule to the items, since DynamoDB Local under-reports them. Updates in
 * transactions are counted by the size `updatedItemSize` says the item has.
 */
export const meteredClient = (
  client: DynamoDBClient,
  updatedItemSize: (key: Record<string, AttributeValue>) => number = () => 100,
): { client: DynamoDBClient; takeWcu: () => number } => {
  let wcu = 0;
  const metered = new Proxy(client, {
    get: (target, property, receiver) => {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: { input: Record<string, unknown> }) => {
        if (command instanceof PutItemCommand || command instanceof UpdateItemCommand) {
          command.input.ReturnConsumedCapacity = 'TOTAL';
          const result = await target.send(command as never);
          wcu += (result as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity?.CapacityUnits ?? 0;
          return result;
        }
        if (command instanceof TransactWriteItemsCommand) {
          const result = await target.send(command);
          const sizes = (command.input.TransactItems ?? []).map((action) =>
            action.Put !== undefined ? itemSize(action.Put.Item ?? {}) : action.Update !== undefined ? updatedItemSize(action.Update.Key ?? {}) : 100,
          );
          wcu += transactionWcu(sizes);
          return result;
        }
        return target.send(command as never);
      };
    },
  });
  return {
    client: metered,
    takeWcu: () => {
      const taken = wcu;
      wcu = 0;
      return taken;
    },
  };
};
