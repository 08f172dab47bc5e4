import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { counters, reactions, sourceEventStores } from '../../src/example/index.js';
import { CounterProjection } from '../../src/index.js';

// In your project: import { CounterProjection } from 'castore-dynamodb-counter', and your own counters.
const projection = new CounterProjection({
  dynamoDBClient: new DynamoDBClient({}),
  // Set by CounterProjectionPipeline; read lazily so that a missing variable fails loudly at the first batch.
  countsTableName: () => {
    const name = process.env.COUNTS_TABLE_NAME;
    if (name === undefined) throw new Error('COUNTS_TABLE_NAME is not set');
    return name;
  },
  // The reactions push COUNT_REACHED into the event table (app.ts): read, not refused.
  sourceEventStores: [...sourceEventStores, reactions.eventStore],
  counters,
});

export const handler = projection.handler;
