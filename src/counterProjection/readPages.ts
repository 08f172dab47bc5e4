import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';

import type { CountsImage } from './countsItems/index.js';

type StartKey = Record<string, AttributeValue> | undefined;
type Page = { Items?: CountsImage[] | undefined; LastEvaluatedKey?: StartKey };

interface TableContext {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
}

/** Every page of a Query or Scan, in order; `until` stops early once a page has what is sought. */
const allPages = async (
  send: (startKey: StartKey) => Promise<Page>,
  until: (items: CountsImage[]) => boolean = () => false,
): Promise<CountsImage[]> => {
  const items: CountsImage[] = [];
  let startKey: StartKey;
  do {
    const page = await send(startKey);
    items.push(...(page.Items ?? []));
    if (until(page.Items ?? [])) break;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
};

/**
 * The items of one counts partition, all pages (strongly consistent unless told): with
 * `between`, only the sort keys in that inclusive range.
 */
export const queryPartition = (
  context: TableContext,
  {
    pk,
    between,
    consistentRead = true,
  }: { pk: string; between?: [string, string]; consistentRead?: boolean },
): Promise<CountsImage[]> =>
  allPages((startKey) =>
    context.dynamoDBClient.send(
      new QueryCommand({
        TableName: context.tableName,
        KeyConditionExpression:
          between === undefined ? 'pk = :pk' : 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': { S: pk },
          ...(between === undefined
            ? {}
            : { ':from': { S: between[0] }, ':to': { S: between[1] } }),
        },
        ConsistentRead: consistentRead,
        ExclusiveStartKey: startKey,
      }),
    ),
  );

/** Whether any item's partition key starts with one of these prefixes: a Scan, stopped at the first. */
export const anyPartitionStartingWith = async (
  context: TableContext,
  prefixes: string[],
): Promise<boolean> => {
  const found = await allPages(
    (startKey) =>
      context.dynamoDBClient.send(
        new ScanCommand({
          TableName: context.tableName,
          FilterExpression: prefixes.map((_, index) => `begins_with(pk, :p${index})`).join(' OR '),
          ExpressionAttributeValues: Object.fromEntries(
            prefixes.map((prefix, index) => [`:p${index}`, { S: prefix }]),
          ),
          ProjectionExpression: 'pk',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    (items) => items.length > 0,
  );
  return found.length > 0;
};
