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
): string[] => tableMismatch(definition, table).differences;

/**
 * The differences, and for each what fixes it without losing data: an index or a stream is
 * added in place (UpdateTable); keys cannot change, so the library needs another table.
 */
export const tableMismatch = (
  definition: CreateTableCommandInput,
  table: TableDescription,
): { differences: string[]; fixes: string[] } => {
  const fixes = new Set<string>();
  const name = String(definition.TableName);
  const wanted = attributeTypes(definition);
  const actual = attributeTypes(table);
  const differences: string[] = [];
  const compare = (what: string, expected: string, found: string, fix: string) => {
    if (expected === found) return;
    differences.push(`its ${what} are ${found || 'none'}, not ${expected}`);
    fixes.add(fix);
  };
  compare(
    'keys',
    describeKeys(definition.KeySchema, wanted),
    describeKeys(table.KeySchema, actual),
    `a table's keys cannot change: give the library another table name (the data of ${name} stays as it is)`,
  );
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    const found = table.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.IndexName);
    const addIndex = `add the index ${index.IndexName} in place (UpdateTable with GlobalSecondaryIndexUpdates: Create, as eventTableDefinition describes it; the data stays)`;
    if (found === undefined) {
      differences.push(`it has no index ${index.IndexName}`);
      fixes.add(addIndex);
    } else
      compare(
        `${index.IndexName} index keys`,
        describeKeys(index.KeySchema, wanted),
        describeKeys(found.KeySchema, actual),
        `replace the index ${index.IndexName} in place (UpdateTable: Delete it, then Create it as eventTableDefinition describes it; the data stays)`,
      );
  }
  if (definition.StreamSpecification?.StreamEnabled === true) {
    const view =
      table.StreamSpecification?.StreamEnabled === true
        ? table.StreamSpecification.StreamViewType
        : undefined;
    // The projection reads new images: either view that carries them will do.
    if (view !== 'NEW_IMAGE' && view !== 'NEW_AND_OLD_IMAGES') {
      differences.push(`its stream is ${view ?? 'off'}, not NEW_IMAGE (or NEW_AND_OLD_IMAGES)`);
      fixes.add(
        `${view === undefined ? 'enable its stream' : 'disable its stream, then enable it again'} in place, with no data lost: ` +
          `aws dynamodb update-table --table-name ${name} --stream-specification StreamEnabled=true,StreamViewType=${wantedView(definition)}`,
      );
    }
  }
  return { differences, fixes: [...fixes] };
};

const wantedView = (definition: CreateTableCommandInput): string =>
  definition.StreamSpecification?.StreamViewType ?? 'NEW_IMAGE';

/** Throws TableMismatchError unless the existing table has the definition's keys, indexes and stream. */
export const verifyTable = async (
  dynamoDBClient: DynamoDBClient,
  definition: CreateTableCommandInput,
): Promise<void> => {
  const { Table } = await dynamoDBClient.send(
    new DescribeTableCommand({ TableName: definition.TableName }),
  );
  const { differences, fixes } = tableMismatch(definition, Table ?? {});
  if (differences.length > 0)
    throw new CounterError('TableMismatch', {
      tableName: String(definition.TableName),
      differences,
      fixes,
    });
};
