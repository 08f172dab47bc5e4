import {
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';

import { interceptSend } from './interceptSend.js';

/**
 * Wraps a real client so that TransactWriteItems behaves as on AWS when two transactions
 * touch one item at once: the second is cancelled with TransactionConflict (DynamoDB Local
 * runs transactions one at a time and never does). Counts the conflicts it made.
 */
export const withTransactionConflicts = (
  client: DynamoDBClient,
): { client: DynamoDBClient; conflicts: () => number } => {
  const inFlight = new Map<string, number>();
  let conflicts = 0;
  const keyOf = (item: {
    Put?: { TableName?: string | undefined; Item?: object | undefined } | undefined;
    Update?: { TableName?: string | undefined; Key?: object | undefined } | undefined;
  }) => {
    const key = item.Update?.Key ?? item.Put?.Item ?? {};
    const { pk, sk } = key as { pk?: { S?: string }; sk?: { S?: string } };
    return JSON.stringify([item.Update?.TableName ?? item.Put?.TableName, pk?.S, sk?.S]);
  };
  const wrapped = interceptSend(client, async (command, send) => {
    if (!(command instanceof TransactWriteItemsCommand)) return send(command);
    const keys = (command.input.TransactItems ?? []).map(keyOf);
    if (keys.some((key) => (inFlight.get(key) ?? 0) > 0)) {
      conflicts += 1;
      throw new TransactionCanceledException({
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
        $metadata: {},
        CancellationReasons: keys.map((key) =>
          (inFlight.get(key) ?? 0) > 0 ? { Code: 'TransactionConflict' } : { Code: 'None' },
        ),
      });
    }
    for (const key of keys) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    try {
      return await send(command);
    } finally {
      for (const key of keys) inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
    }
  });
  return { client: wrapped, conflicts: () => conflicts };
};
