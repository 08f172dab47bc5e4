import {
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

import { CounterError } from './counterError.js';

/** "pk (S, HASH), sk (N, RANGE)": a key schema with its attribute types, comparable as text. */
const describeKeys = (
  keys: KeySchemaElement[] | undefined,
  types: Map<string | undefined, string | undefined>,
): string =>
  (keys ?? [])
    .map((key) => `${key.AttributeName} (${types.get(key.AttributeName)}, ${key.KeyType})`)
    .join(', ');

const attributeTypes = (input: {
  AttributeDefinitions?: CreateTableCommandInput['AttributeDefinitions'];
}) => new Map((input.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));

/** How `table` differs from `definition` in what the library relies on: keys, indexes, stream. */
export const tableDifferences = (
  definition: CreateTableCommandInput,
  table: TableDescription,
): string[] => {
  const wanted = attributeTypes(definition);
  const actual = attributeTypes(table);
  const differences: string[] = [];
  const compare = (what: string, expected: string, found: string) => {
    if (expected !== found) differences.push(`its ${what} are ${found || 'none'}, not ${expected}`);
  };
  compare(
    'keys',
    describeKeys(definition.KeySchema, wanted),
    describeKeys(table.KeySchema, actual),
  );
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    const found = table.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.IndexName);
    if (found === undefined) differences.push(`it has no index ${index.IndexName}`);
    else
      compare(
        `${index.IndexName} index keys`,
        describeKeys(index.KeySchema, wanted),
        describeKeys(found.KeySchema, actual),
      );
  }
  if (definition.StreamSpecification?.StreamEnabled === true) {
    const view =
      table.StreamSpecification?.StreamEnabled === true
        ? table.StreamSpecification.StreamViewType
        : undefined;
    // The projection reads new images: either view that carries them will do.
    if (view !== 'NEW_IMAGE' && view !== 'NEW_AND_OLD_IMAGES')
      differences.push(`its stream is ${view ?? 'off'}, not NEW_IMAGE (or NEW_AND_OLD_IMAGES)`);
  }
  return differences;
};

/** Throws TableMismatchError unless the existing table has the definition's keys, indexes and stream. */
export const verifyTable = async (
  dynamoDBClient: DynamoDBClient,
  definition: CreateTableCommandInput,
): Promise<void> => {
  const { Table } = await dynamoDBClient.send(
    new DescribeTableCommand({ TableName: definition.TableName }),
  );
  const differences = tableDifferences(definition, Table ?? {});
  if (differences.length > 0)
    throw new CounterError('TableMismatch', {
      tableName: String(definition.TableName),
      differences,
    });
};
