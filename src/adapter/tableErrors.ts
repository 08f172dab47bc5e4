import { CounterError, isAwsError } from '../shared/index.js';
import { EVENT_TABLE_INITIAL_EVENT_INDEX_NAME } from './constants.js';

/**
 * DynamoDB's answer for a table that does not exist names no table: say which one the
 * adapter was given (a wrong name, an environment variable that was not set, another region).
 */
export const withTableName =
  (tableName: string) =>
  (error: unknown): never => {
    if (isAwsError(error, 'ResourceNotFoundException'))
      throw new CounterError('TableNotFound', { tableName, cause: error });
    throw error;
  };

/**
 * listAggregateIds queries Castore's initialEvents index: a table made with the reference
 * adapter's legacy layout (an isInitialEvent index) makes DynamoDB refuse the query with a
 * ValidationException about the key schema or the index. Say what is wrong and the fix.
 */
export const withIndexExplained =
  (tableName: string) =>
  (error: unknown): never => {
    if (isAwsError(error, 'ValidationException') && /index|key schema/i.test(error.message))
      throw new CounterError('TableMismatch', {
        tableName,
        differences: [
          `its ${EVENT_TABLE_INITIAL_EVENT_INDEX_NAME} index is missing or keyed otherwise (DynamoDB: ${error.message})`,
        ],
        fixes: [
          `see how it differs with createEventTable({ dynamoDBClient, tableName: '${tableName}', ifExists: 'verify' })`,
          `add the index ${EVENT_TABLE_INITIAL_EVENT_INDEX_NAME} in place (UpdateTable with GlobalSecondaryIndexUpdates: Create, as eventTableDefinition describes it; the data stays)`,
        ],
        cause: error,
      });
    return withTableName(tableName)(error);
  };
