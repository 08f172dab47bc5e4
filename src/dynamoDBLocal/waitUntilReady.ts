import type { ChildProcess } from 'node:child_process';

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { CounterError } from '../shared/index.js';

/**
 * Resolves once DynamoDB Local answers on its endpoint; rejects (DynamoDBLocalStart) when
 * our child exits first (PortTaken, ExitedEarly) or nothing answers in time (NotReady).
 */
export const waitUntilReady = async ({
  child,
  endpoint,
  timeoutMs,
}: {
  child: ChildProcess;
  endpoint: string;
  timeoutMs: number;
}) => {
  const exited = rejectOnExit(child, endpoint);
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1_000,
      requestTimeout: 1_000,
      throwOnRequestTimeout: true,
    }),
  });
  let settled = false;
  try {
    await Promise.race([
      probeUntilAnswered({ client, endpoint, timeoutMs, isSettled: () => settled }),
      exited,
    ]);
    // Answered: still make sure it was our child (a port taken makes it exit within about 1.2 s).
    if (child.exitCode !== null) await exited;
  } finally {
    settled = true;
    client.destroy();
  }
};

/** Rejects when our child dies: whatever answers on the port then is another server, never to be probed. */
const rejectOnExit = (child: ChildProcess, endpoint: string): Promise<never> => {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', () => {
      const portTaken = /Address already in use/i.test(output);
      const reason = portTaken
        ? `its port is already in use (${endpoint}): choose another port, or none to get a free one`
        : `its output: ${output.trim().split('\n').slice(-3).join(' ')}`;
      reject(
        new CounterError('DynamoDBLocalStart', {
          failure: portTaken ? 'PortTaken' : 'ExitedEarly',
          explanation: `DynamoDB Local exited before it was ready: ${reason}.`,
        }),
      );
    }),
  );
  exited.catch(() => undefined);
  return exited;
};

const probeUntilAnswered = async ({
  client,
  endpoint,
  timeoutMs,
  isSettled,
}: {
  client: DynamoDBClient;
  endpoint: string;
  timeoutMs: number;
  isSettled: () => boolean;
}) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !isSettled()) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new CounterError('DynamoDBLocalStart', {
    failure: 'NotReady',
    explanation: `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: is the machine overloaded? Raise readyTimeoutMs, or pass an endpoint of a DynamoDB that is already running.`,
  });
};
