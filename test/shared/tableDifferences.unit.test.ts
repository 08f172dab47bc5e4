import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';

import { eventTableDefinition } from '../../src/adapter/index.js';
import { tableDifferences } from '../../src/shared/verifyTable.js';

const definition = eventTableDefinition('events');
/** What DescribeTable answers for a table created from the definition. */
const described = (): TableDescription => ({
  TableName: 'events',
  AttributeDefinitions: definition.AttributeDefinitions,
  KeySchema: definition.KeySchema,
  GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes?.map((index) => ({
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
  })),
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
});

describe('tableDifferences (unit)', () => {
  it('finds none in a table created from the definition, nor with a NEW_AND_OLD_IMAGES stream', () => {
    expect(tableDifferences(definition, described())).toEqual([]);
    const both = {
      ...described(),
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
    };
    expect(tableDifferences(definition, both)).toEqual([]);
  });

  it('names a key of another type, an index keyed otherwise, and a stream without new images', () => {
    const table = described();
    table.AttributeDefinitions = table.AttributeDefinitions?.map((a) =>
      a.AttributeName === 'version' ? { ...a, AttributeType: 'S' } : a,
    );
    table.GlobalSecondaryIndexes = [
      {
        IndexName: 'initialEvents',
        KeySchema: [{ AttributeName: 'eventStoreId', KeyType: 'HASH' }],
      },
    ];
    table.StreamSpecification = { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' };
    expect(tableDifferences(definition, table)).toEqual([
      'its keys are aggregateId (S, HASH), version (S, RANGE), not aggregateId (S, HASH), version (N, RANGE)',
      'its initialEvents index keys are eventStoreId (S, HASH), not eventStoreId (S, HASH), timestamp (S, RANGE)',
      'its stream is KEYS_ONLY, not NEW_IMAGE (or NEW_AND_OLD_IMAGES)',
    ]);
  });
});
