import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A real client whose `send` goes through `intercept` first: the one way the tests put a
 * fault, a conflict or an outage between the code and DynamoDB Local. `send` forwards a
 * command to the real client.
 */
export const interceptSend = (
  client: DynamoDBClient,
  intercept: (command: unknown, send: (command: unknown) => Promise<unknown>) => Promise<unknown>,
): DynamoDBClient =>
  new Proxy(client, {
    get: (target, property, receiver) =>
      property === 'send'
        ? (command: unknown) => intercept(command, (forwarded) => target.send(forwarded as never))
        : Reflect.get(target, property, receiver),
  });
