import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import { tableCreator } from '../shared/index.js';
import {
  EVENT_TABLE_EVENT_STORE_ID_KEY,
  EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
  EVENT_TABLE_PK,
  EVENT_TABLE_SK,
  EVENT_TABLE_TIMESTAMP_KEY,
} from './constants.js';

/**
 * The CreateTable input of an event table: the reference adapter's keys and sparse
 * initialEvents GSI, on-demand billing, and a NEW_IMAGE stream for projections.
 */
export const eventTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  AttributeDefinitions: [
    { AttributeName: EVENT_TABLE_PK, AttributeType: 'S' },
    { AttributeName: EVENT_TABLE_SK, AttributeType: 'N' },
    { AttributeName: EVENT_TABLE_EVENT_STORE_ID_KEY, AttributeType: 'S' },
    { AttributeName: EVENT_TABLE_TIMESTAMP_KEY, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: EVENT_TABLE_PK, KeyType: 'HASH' },
    { AttributeName: EVENT_TABLE_SK, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
      KeySchema: [
        { AttributeName: EVENT_TABLE_EVENT_STORE_ID_KEY, KeyType: 'HASH' },
        { AttributeName: EVENT_TABLE_TIMESTAMP_KEY, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
});

/** Creates the event table and waits until it is ACTIVE. */
export const createEventTable = tableCreator(eventTableDefinition);
