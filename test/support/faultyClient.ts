import { type DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';

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
  const fault = makeError;
  return new Proxy(client, {
    get: (target, property, receiver) => {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (!(command instanceof TransactWriteItemsCommand)) return target.send(command as never);
        const index = transactions++;
        if (faults.before?.has(index) === true) throw fault('before');
        const result = await target.send(command);
        if (faults.after?.has(index) === true) throw fault('after');
        return result;
      };
    },
  });
};
