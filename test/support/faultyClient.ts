import { type DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';

import { interceptSend } from './interceptSend.js';

/**
 * Wraps a real client so that chosen TransactWriteItems calls fail: `before` ones are
 * never sent (a crash before the write), `after` ones are written and then fail (a crash
 * between the commit and its acknowledgement). Counts start at 0 for each wrapper.
 */
export const withTransactionFaults = (
  client: DynamoDBClient,
  faults: { before?: ReadonlySet<number>; after?: ReadonlySet<number> },
  makeError: (when: string) => Error = (when) =>
    Object.assign(new Error(`injected fault ${when} transaction`), { name: 'InjectedFault' }),
): DynamoDBClient => {
  let transactions = 0;
  return interceptSend(client, async (command, send) => {
    if (!(command instanceof TransactWriteItemsCommand)) return send(command);
    const index = transactions++;
    if (faults.before?.has(index) === true) throw makeError('before');
    const result = await send(command);
    if (faults.after?.has(index) === true) throw makeError('after');
    return result;
  });
};
