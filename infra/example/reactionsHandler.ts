import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { CounterReactions, pushEventReaction } from '../../src/entries/reactions.js';
import { counters, makeCountReachedStore } from '../../src/example/index.js';
import { DynamoDBSingleTableEventStorageAdapter } from '../../src/index.js';

// In your project: import these from 'castore-dynamodb-counter' and
// 'castore-dynamodb-counter/reactions', and your own counters and store.
const countReachedStore = makeCountReachedStore(
  new DynamoDBSingleTableEventStorageAdapter({
    dynamoDBClient: new DynamoDBClient({}),
    // Set by CounterProjectionPipeline; read lazily so that a missing variable fails loudly at the first push.
    tableName: () => {
      const name = process.env.REACTIONS_TABLE_NAME;
      if (name === undefined) throw new Error('REACTIONS_TABLE_NAME is not set');
      return name;
    },
  }),
);

const reactions = new CounterReactions({
  counters,
  react: pushEventReaction({ eventStore: countReachedStore, eventType: 'COUNT_REACHED' }),
});

export const handler = reactions.handler;
